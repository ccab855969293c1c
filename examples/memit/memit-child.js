// SPDX-License-Identifier: LGPL-2.1-or-later
// The gjs side of flyweight-memit:
//
//   gjs -c SCRIPT memit ID COUNT PREPARE PRESIZE BODY
//
// One row in this fresh process, measured like the C and Python rows:
// PREPARE (global code: set globalThis members to share them), one
// warm-up instance, the RSS, the timed loop, System.gc() with everything
// still referenced (gjs frees garbage only then), the RSS again. The loop
// is compiled into a function that gets GLib, GObject and Flyweight:
//     PRESIZE  (default: const objs = new Array(count).fill(null);)
//     for (let i = 0; i < count; i++) { BODY }
// and returns `objs`, which must hold everything the row keeps alive.
// Prints one JSON line with the keys of flyweight-memit's C children.
imports.gi.versions.Flyweight = '1.0';
const {GLib, GObject, Flyweight} = imports.gi;
const System = imports.system;

const [mode, id, countText, prepare, presize, body] = ARGV;
const decoder = new TextDecoder();

function readKb(path, field) {
    try {
        const [, bytes] = GLib.file_get_contents(path);
        const line = decoder.decode(bytes).split('\n').find(l => l.startsWith(`${field}:`));
        return line ? Number(line.split(/\s+/)[1]) * 1024 : 0;
    } catch (e) {
        return 0;
    }
}

function rss() {
    // Exact, like the C children: smaps_rollup walks the page tables.
    return readKb('/proc/self/smaps_rollup', 'Rss') || readKb('/proc/self/status', 'VmRSS');
}

if (mode !== 'memit')
    throw new Error(`unknown mode ${mode}`);

(0, eval)(prepare);
// eslint-disable-next-line no-new-func
const run = new Function('count', 'GLib', 'GObject', 'Flyweight', `
    ${presize || 'const objs = new Array(count).fill(null);'}
    const start = GLib.get_monotonic_time();
    for (let i = 0; i < count; i++) {
        ${body}
    }
    const end = GLib.get_monotonic_time();
    return [(end - start) * 1000, objs];`);

const count = Number(countText);
run(1, GLib, GObject, Flyweight);
System.gc();
const rssBefore = rss();
let [elapsed, alive] = run(count, GLib, GObject, Flyweight);
System.gc();
const rssAfter = rss();
const version = System.version;

print(JSON.stringify({
    id,
    instances: count,
    rss_before: rssBefore,
    rss_after: rssAfter,
    peak_rss: readKb('/proc/self/status', 'VmHWM'),
    elapsed_ns: elapsed,
    runtime: `gjs ${Math.floor(version / 10000)}.${Math.floor(version / 100) % 100}.${version % 100}`,
}));
// Everything stayed alive until the second reading; now it may go.
alive = null;
