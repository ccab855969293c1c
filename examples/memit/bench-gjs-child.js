// SPDX-License-Identifier: LGPL-2.1-or-later
// Run as: gjs -c SCRIPT WHAT COUNT REPETITIONS PAGE_SIZE, with
// GI_TYPELIB_PATH pointing at Flyweight-1.0.typelib. WHAT is "slotted"
// (Flyweight.PokiesSlotted.new(3, 10)) or "object" (new GObject.Object()).
// The first repetition gives the bytes per object: RSS before, a pre-sized
// array filled in the loop, System.gc() with every object still referenced
// (gjs frees garbage only then), RSS after. Times are medians.
imports.gi.versions.Flyweight = '1.0';
const {GLib, GObject, Flyweight} = imports.gi;
const System = imports.system;

const [what, countText, repetitionsText, pageText] = ARGV;
const count = Number(countText);
const repetitions = Number(repetitionsText);
const pageSize = Number(pageText);
const decoder = new TextDecoder();

function readProc(path) {
    const [, bytes] = GLib.file_get_contents(path);
    return decoder.decode(bytes);
}

function rss() {
    return Number(readProc('/proc/self/statm').split(' ')[1]) * pageSize;
}

function peakRss() {
    const line = readProc('/proc/self/status').split('\n')
        .find(l => l.startsWith('VmHWM:'));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : 0;
}

function fillSlotted(objs, n) {
    for (let i = 0; i < n; i++)
        objs[i] = Flyweight.PokiesSlotted.new(3, 10);
}

function fillObject(objs, n) {
    for (let i = 0; i < n; i++)
        objs[i] = new GObject.Object();
}

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fill = what === 'slotted' ? fillSlotted : fillObject;
fill([null], 1);
System.gc();

const samples = [];
let rssBefore = 0, rssAfter = 0;
for (let repetition = 0; repetition < repetitions; repetition++) {
    if (repetition === 0)
        rssBefore = rss();
    let objs = new Array(count).fill(null);
    const start = GLib.get_monotonic_time();
    fill(objs, count);
    const end = GLib.get_monotonic_time();
    if (repetition === 0) {
        System.gc();
        rssAfter = rss();
    }
    samples.push((end - start) * 1000 / count);
    objs = null;
    System.gc();
}

print(JSON.stringify({
    id: `gjs-${what}`,
    instances: count,
    rss_before: rssBefore,
    rss_after: rssAfter,
    peak_rss: peakRss(),
    ns_per_instance: median(samples),
    runtime: `gjs ${Math.floor(System.version / 10000)}.${Math.floor(System.version / 100) % 100}.${System.version % 100}`,
}));
