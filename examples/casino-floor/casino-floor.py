#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A casino floor of a million slot machines in a Gtk.ColumnView, from Python.

The same floor as casino-floor.c: the machines live in a
Flyweight.PokiesStore, a few bytes a machine in packed columns, and the
column view asks for the machines it shows and nothing else. Python holds
one wrapper for the store and one for each machine on screen, never one per
machine: every bulk call (laying out the floor, pulling every arm, sorting)
goes to the store in one call or in slices of 65,536 rows.

    casino-floor.py [--machines N] [--script] [--screenshot FILE] [--seed S]

Against the build tree (B is the Meson build directory):

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
        /usr/bin/python3 examples/casino-floor/casino-floor.py

--script takes the tour the test drives (casino-floor-check.py): scroll to
the end and back, pull every arm, sort by three columns, print a summary of
"key: value" lines, close the window and quit.
"""

import time

STARTED = time.monotonic()

import argparse  # noqa: E402
import ctypes  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import gi  # noqa: E402

gi.require_version('Flyweight', '1.0')
gi.require_version('GdkPixbuf', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Graphene', '1.0')
gi.require_version('Gtk', '4.0')
from gi.repository import Flyweight, GdkPixbuf, Gio, GLib, GObject, Graphene, Gtk  # noqa: E402

DEFAULT_MACHINES = 1000000
MAX_MACHINES = 100000000
ADD_COUNT = 100000
BANK_SIZE = 16            # machines side by side built alike
SLICE = 65536             # rows per bulk call when filling the floor
SETTLE_FRAMES = 3         # frames painted after a step before looking
STEP_TIMEOUT_SECONDS = 120
MAX_SCROLL_TRIES = 20
# What the tour types into the first owner cell: after every name the floor
# gives, so that the smallest owner stays the floor's.
EDITED_OWNER = 'Zephyr Arcade'

# Ten configurations; none draws more than 65,535 outcomes, so that a last
# draw packs into two bytes.
CONFIGURATIONS = [(3, 10), (3, 12), (4, 8), (3, 20), (4, 10),
                  (5, 6), (3, 30), (4, 12), (5, 8), (3, 40)]
OWNERS = [f'{first} {last}'
          for first in ('Golden', 'Lucky', 'Silver', 'Royal', 'Diamond',
                        'Emerald', 'Crimson', 'Midnight', 'Neon', 'Jade')
          for last in ('Lion', 'Dragon', 'Star', 'Crown', 'Horseshoe',
                       'Palace', 'Tiger', 'Phoenix', 'Clover', 'Flamingo')]

STYLE = '''
.draw { font-family: monospace; }
.jackpot { font-weight: bold; color: @success_color; }
.status { padding: 6px 12px; }
'''


# Owners take turns along the floor, 37 names apart, as in
# casino-floor-fill.c: neighbours seldom share one, and the pattern repeats
# every hundred machines, so that a slice of owners is built by repeating a
# list rather than a loop in Python. The store takes them as indices into
# the list of names: a million small numbers rather than a million strings.
OWNER_CYCLE = [number * 37 % len(OWNERS) for number in range(len(OWNERS))]


def owner_indices(first_number, count):
    """The owners of count machines numbered from first_number, as indices
    into OWNERS."""
    start = first_number % len(OWNER_CYCLE)
    turned = OWNER_CYCLE[start:] + OWNER_CYCLE[:start]
    return (turned * (count // len(turned) + 1))[:count]


def fill(store, first_number, n_machines):
    """Appends n_machines machines numbered from first_number, with their
    number and owner, in bulk calls: one per bank of machines built alike,
    and one per slice of rows for each attribute."""
    position = store.get_n_items()
    number = first_number
    end = first_number + n_machines
    while number < end:
        bank = (number - 1) // BANK_SIZE
        count = min((bank + 1) * BANK_SIZE + 1, end) - number
        reels, symbols = CONFIGURATIONS[bank % len(CONFIGURATIONS)]
        store.append_many(count, reels, symbols)
        number += count

    for done in range(0, n_machines, SLICE):
        count = min(SLICE, n_machines - done)
        store.set_attr_ints('number', position + done,
                            list(range(first_number + done, first_number + done + count)))
        store.set_attr_dictionary('owner', position + done, OWNERS, owner_indices(first_number + done, count))


def rss_kb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def peak_rss_kb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return 0


def count(n):
    return f'{n:,}'


class Sorting:
    """Which column the column view sorts by, and which way.

    Each sortable column gets a sorter that sorts nothing (the store sorts)
    and names the store's sort key. GTK 4.10 says which column is primary;
    GTK 4.8 keeps it private, but its sorter asks the column sorters in
    turn, primary first, and inverts the answer of a descending one: two
    probe objects that every column sorter calls "smaller" tell both."""

    def __init__(self):
        self.probe = (GObject.Object(), GObject.Object())
        self.asked = None
        self.keys = {}

    def _compare(self, a, b, key):
        if (a, b) == self.probe:
            if self.asked is None:
                self.asked = key
            return -1
        return 0

    def sorter_for(self, key):
        sorter = Gtk.CustomSorter.new(self._compare, key)
        self.keys[sorter] = key
        return sorter

    def primary(self, column_view):
        sorter = column_view.get_sorter()
        if hasattr(sorter, 'get_primary_sort_column'):
            column = sorter.get_primary_sort_column()
            if column is None or column.get_sorter() is None:
                return None, False
            descending = sorter.get_primary_sort_order() == Gtk.SortType.DESCENDING
            return self.keys.get(column.get_sorter()), descending
        self.asked = None
        ordering = sorter.compare(*self.probe)
        if ordering == Gtk.Ordering.EQUAL:
            return None, False
        return self.asked, ordering == Gtk.Ordering.LARGER


class Cell:
    """One cell of one column, set up once and bound to the machine of one
    row after another. Bindings go from the machine to the widget and are
    dropped at unbind, so that a machine scrolled away is released."""

    def __init__(self, column, list_item, floor):
        self.column = column
        self.list_item = list_item
        self.floor = floor
        self.machine = None
        self.binding = None
        if column in ('number', 'reels', 'symbols'):
            self.widget = Gtk.Inscription(min_chars=9 if column == 'number' else 4,
                                          nat_chars=9 if column == 'number' else 4, xalign=1.0)
            self.widget.add_css_class('numeric')
        elif column == 'owner':
            self.widget = Gtk.EditableLabel()
            self.widget.connect('notify::editing', self._editing_changed)
            focus = Gtk.EventControllerFocus()
            focus.connect('leave', self._focus_left)
            self.widget.add_controller(focus)
        else:
            self.widget = Gtk.Inscription(min_chars=12, nat_chars=12, xalign=0.0)
            self.widget.add_css_class('draw')
            self.widget.connect('notify::text', self._draw_shown)
        list_item.set_child(self.widget)

    def bind(self):
        self.machine = self.list_item.get_item()
        sync = GObject.BindingFlags.SYNC_CREATE
        if self.column in ('number', 'owner'):
            self.binding = Flyweight.AttrBinding.bind(self.machine, self.column, self.widget, 'text', sync)
            if self.column == 'owner':
                self.floor.owner_cells.add(self)
        elif self.column in ('reels', 'symbols'):
            self.binding = self.machine.bind_property(self.column, self.widget, 'text', sync)
        else:
            self.binding = self.machine.bind_property('last-draw-text', self.widget, 'text', sync,
                                                      lambda binding, text: text or '–')
            self.floor.draw_cells.add(self)

    def unbind(self):
        if self.column == 'owner' and self.widget.get_editing():
            self.widget.stop_editing(True)
        if self.binding is not None:
            self.binding.unbind()
            self.binding = None
        self.floor.draw_cells.discard(self)
        self.floor.owner_cells.discard(self)
        self.machine = None

    def _draw_shown(self, inscription, pspec):
        symbols = (inscription.get_text() or '').split(' ')
        if len(symbols) > 1 and all(s == symbols[0] for s in symbols):
            inscription.add_css_class('jackpot')
        else:
            inscription.remove_css_class('jackpot')

    def _focus_left(self, controller):
        # When the focus leaves it, GTK 4.8's editable label looks at its
        # focus controller 100 ms later without holding it: a label dropped
        # in between (a focused row dropped by a sort) would be looked at
        # freed. The timeout holds the label longer, at a lower priority, so
        # that it is let go only after GTK's look even when both are due.
        GLib.timeout_add(250, lambda label: GLib.SOURCE_REMOVE, controller.get_widget(),
                         priority=GLib.PRIORITY_LOW)

    def _editing_changed(self, label, pspec):
        # Written back when editing ends, not at every key (as a
        # bidirectional binding would): a half-typed name is no owner, and
        # an edit cancelled with Escape never reaches the store.
        if label.get_editing() or self.machine is None:
            return
        text = label.get_text()
        try:
            stored = self.machine.get_attr('owner')
        except GLib.Error:
            stored = None
        if stored == text:
            return
        try:
            self.machine.set_attr('owner', text)
        except GLib.Error as e:
            label.set_text(stored or '')
            label.set_tooltip_text(e.message)
            label.error_bell()


class Floor(Gtk.ApplicationWindow):
    def __init__(self, application, store, next_number, seed):
        super().__init__(application=application, title='Casino floor')
        self.store = store
        self.random = Flyweight.Random.new(seed)
        self.next_number = next_number
        self.sorting = Sorting()
        self.cells = {}
        self.draw_cells = set()
        self.owner_cells = set()
        self.last_action = None
        self.sort_time = 0.0
        self.sort_error = None
        self.set_default_size(860, 620)

        css = Gtk.CssProvider()
        css.load_from_data(STYLE.encode())
        Gtk.StyleContext.add_provider_for_display(self.get_display(), css,
                                                  Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)

        header = Gtk.HeaderBar()
        pull = Gtk.Button.new_with_mnemonic('_Pull every arm')
        pull.add_css_class('suggested-action')
        pull.connect('clicked', lambda button: self.pull_every_arm())
        add = Gtk.Button.new_with_mnemonic(f'_Add {count(ADD_COUNT)}')
        add.connect('clicked', lambda button: self._add_clicked())
        header.pack_start(pull)
        header.pack_end(add)
        self.set_titlebar(header)

        # No Gtk.SingleSelection: when the rows around its selected item
        # change, as a sort changes them all, it looks for that item among
        # the new rows one by one, making a machine object for each.
        self.selection = Gtk.NoSelection.new(store)
        self.column_view = Gtk.ColumnView.new(self.selection)
        self.column_view.set_show_row_separators(True)
        self.column_view.set_show_column_separators(True)
        self.column_view.add_css_class('data-table')
        for title, key, expand in (('No.', 'number', False), ('Reels', 'reels', False),
                                   ('Symbols', 'symbols', False), ('Owner', 'owner', True),
                                   ('Last draw', 'last-draw', False)):
            column = Gtk.ColumnViewColumn.new(title, self._factory(key))
            column.set_sorter(self.sorting.sorter_for(key))
            column.set_expand(expand)
            column.set_resizable(True)
            self.column_view.append_column(column)
        self.sorter_handler = self.column_view.get_sorter().connect('changed', self._sorter_changed)

        self.scroller = Gtk.ScrolledWindow(hscrollbar_policy=Gtk.PolicyType.NEVER, vexpand=True)
        self.scroller.set_child(self.column_view)
        self.status = Gtk.Label(xalign=0.0, ellipsize=3)
        self.status.add_css_class('status')

        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        box.append(self.scroller)
        box.append(Gtk.Separator(orientation=Gtk.Orientation.HORIZONTAL))
        box.append(self.status)
        self.set_child(box)
        self.set_focus(pull)

        self.update_status()
        self.status_timeout = GLib.timeout_add(500, self._update_status_cb)
        self.connect('close-request', self._close_requested)

    # The cells.

    def _factory(self, column):
        factory = Gtk.SignalListItemFactory()
        factory.connect('setup', lambda f, item: self.cells.__setitem__(item, Cell(column, item, self)))
        factory.connect('bind', lambda f, item: self.cells[item].bind())
        factory.connect('unbind', lambda f, item: self.cells[item].unbind())
        factory.connect('teardown', lambda f, item: self.cells.pop(item, None))
        return factory

    def rows_on_screen(self):
        """The rows whose last-draw cell is on screen, by position."""
        rows = []
        for cell in list(self.draw_cells):
            widget = cell.widget
            list_view = widget.get_ancestor(Gtk.ListView)
            if list_view is None or not widget.get_mapped():
                continue
            ok, bounds = widget.compute_bounds(list_view)
            middle = bounds.get_y() + bounds.get_height() / 2
            if not ok or not 0 <= middle < list_view.get_height():
                continue
            machine = cell.machine
            rows.append({
                'position': cell.list_item.get_position(),
                'number': machine.get_attr('number'),
                'owner': machine.get_attr('owner'),
                'shown': widget.get_text(),
                'stored': machine.dup_last_draw_text() or '–',
            })
        return sorted(rows, key=lambda row: row['position'])

    def edit_owner(self, position, owner):
        """Edits the owner of a row on screen through its cell, as a user
        does: starts editing, types, presses Enter."""
        for cell in list(self.owner_cells):
            if cell.list_item.get_position() == position:
                cell.widget.start_editing()
                cell.widget.set_text(owner)
                cell.widget.stop_editing(True)
                return True
        return False

    # What the buttons and the headers do.

    def update_status(self):
        parts = [f'{count(self.store.get_n_items())} machines',
                 f'{count(self.store.get_n_live_views())} machine objects alive',
                 f'RSS {rss_kb() * 1024 / 1e6:.1f} MB']
        if self.last_action:
            parts.append(self.last_action)
        self.status.set_text('  ·  '.join(parts))

    def _update_status_cb(self):
        self.update_status()
        return GLib.SOURCE_CONTINUE

    def _set_last_action(self, text):
        self.last_action = text
        self.update_status()

    def pull_every_arm(self):
        """Draws every machine in one call: the store writes the draws into
        its column, and the machines on screen tell their cells."""
        start = time.monotonic()
        self.store.draw_all(self.random)
        elapsed = time.monotonic() - start
        self._set_last_action(f'pulled {count(self.store.get_n_items())} arms in {elapsed * 1000:.0f} ms')
        key, descending = self.sorting.primary(self.column_view)
        if key == 'last-draw':
            self.sort_store()
        return elapsed

    def _add_clicked(self):
        try:
            self.add_machines(ADD_COUNT)
        except GLib.Error as e:
            self._set_last_action(f'cannot add machines: {e.message}')

    def add_machines(self, n_machines):
        if self.next_number + n_machines > GLib.MAXINT32:
            self._set_last_action(f'the floor is full: no room for {count(n_machines)} more machines')
            return
        start = time.monotonic()
        first, self.next_number = self.next_number, self.next_number + n_machines
        fill(self.store, first, n_machines)
        self._set_last_action(f'added {count(n_machines)} machines in {(time.monotonic() - start) * 1000:.0f} ms')
        self.sort_store()

    def _sorter_changed(self, sorter, change):
        self.sort_store()

    def sort_store(self):
        self.sort_error = None
        key, descending = self.sorting.primary(self.column_view)
        if key is None:
            return
        # A sort changes every row in one items-changed; a list view that
        # tracks one of them would look for its item among all the new
        # rows, one machine object each. Off the list while the store sorts,
        # it sees the rows go and come back sorted.
        start = time.monotonic()
        self.selection.set_model(None)
        try:
            if key == 'last-draw':
                self.store.sort_by_last_draw(descending)
            else:
                self.store.sort_by_attr(key, descending)
        except GLib.Error as e:
            self.sort_error = e.message
        self.selection.set_model(self.store)
        self.sort_time = time.monotonic() - start
        if self.sort_error:
            self._set_last_action(f'cannot sort: {self.sort_error}')
        else:
            self._set_last_action(f'sorted {count(self.store.get_n_items())} machines by {key} '
                                  f'in {self.sort_time * 1000:.0f} ms')

    def sort_by_column(self, key, descending):
        """Sorts as a click on the column's header does."""
        columns = self.column_view.get_columns()
        for i in range(columns.get_n_items()):
            column = columns.get_item(i)
            if self.sorting.keys.get(column.get_sorter()) == key:
                # Cleared first: GTK 4.8 would leave the arrow on the last
                # column clicked. With no sort column, the store is left as is.
                self.column_view.sort_by_column(None, Gtk.SortType.ASCENDING)
                self.column_view.sort_by_column(column, Gtk.SortType.DESCENDING if descending
                                                else Gtk.SortType.ASCENDING)
                return self.sort_error is None
        return False

    def _close_requested(self, window):
        # The window's handlers hold the window through Python, and GTK
        # would not dispose of it: its rows, and the row the list keeps for
        # the focus, are let go here, so that every machine is released
        # with the window.
        GLib.source_remove(self.status_timeout)
        self.column_view.get_sorter().disconnect(self.sorter_handler)
        self.set_focus(None)
        self.column_view.set_model(None)
        self.cells.clear()
        return False


def render_to_png(widget, path):
    """Renders the widget with its window's own renderer into a texture and
    saves that as PNG."""
    width, height = widget.get_width(), widget.get_height()
    snapshot = Gtk.Snapshot()
    Gtk.WidgetPaintable.new(widget).snapshot(snapshot, width, height)
    renderer = widget.get_native().get_renderer()
    rect = Graphene.Rect()
    rect.init(0, 0, width, height)
    if gi.version_info < (3, 48):
        # Before 3.48, PyGObject cannot hold a GskRenderNode: from the
        # snapshot to the PNG, the node and the texture stay in C.
        return render_to_png_in_c(snapshot, renderer, (0, 0, width, height), path)
    return renderer.render_texture(snapshot.to_node(), rect).save_to_png(path)


def render_to_png_in_c(snapshot, renderer, rect, path):
    gtk = ctypes.CDLL('libgtk-4.so.1')
    gtk.gtk_snapshot_to_node.restype = ctypes.c_void_p
    gtk.gtk_snapshot_to_node.argtypes = [ctypes.c_void_p]
    gtk.gsk_renderer_render_texture.restype = ctypes.c_void_p
    gtk.gsk_renderer_render_texture.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    gtk.gsk_render_node_unref.argtypes = [ctypes.c_void_p]
    gtk.gdk_texture_save_to_png.restype = ctypes.c_int
    gtk.gdk_texture_save_to_png.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    gtk.g_object_unref.argtypes = [ctypes.c_void_p]
    capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    capsule_pointer.restype = ctypes.c_void_p
    capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]

    node = gtk.gtk_snapshot_to_node(capsule_pointer(snapshot.__gpointer__, None))
    if not node:
        return False
    bounds = (ctypes.c_float * 4)(*rect)
    texture = gtk.gsk_renderer_render_texture(capsule_pointer(renderer.__gpointer__, None), node, bounds)
    gtk.gsk_render_node_unref(node)
    saved = gtk.gdk_texture_save_to_png(texture, path.encode())
    gtk.g_object_unref(texture)
    return bool(saved)


def save_screenshot(widget, path):
    """Saves a PNG of the window; returns its size and how many distinct
    colours it has (a blank or failed rendering has one or two)."""
    if not render_to_png(widget, path):
        raise OSError(f'Cannot write the screenshot to “{path}”')
    picture = GdkPixbuf.Pixbuf.new_from_file(path)
    pixels = picture.read_pixel_bytes().get_data()
    step = picture.get_n_channels()
    colors = len({pixels[i:i + step] for i in range(0, len(pixels), step)})
    return picture.get_width(), picture.get_height(), colors


class Tour:
    """The scripted run: first frame, scroll to the end and back, pull every
    arm, sort through the headers, screenshot, summary, close."""

    def __init__(self, floor, options, fill_seconds, fill_cpu_seconds):
        self.floor = floor
        self.application = floor.get_application()
        self.store = floor.store
        self.options = options
        self.fill_seconds = fill_seconds
        self.fill_cpu_seconds = fill_cpu_seconds
        self.summary = []
        self.exit_status = 0
        self.step = 'first-frame'
        self.first_frame_seen = False
        self.frames_to_wait = 0
        self.tries = 0
        self.max_live_views = 0
        self.before_pull = []
        self.idle_id = 0
        self.timeout_id = 0
        self.frame_clock = None
        self.after_paint_id = 0
        if options.script:
            self.timeout_id = GLib.timeout_add_seconds(STEP_TIMEOUT_SECONDS, self._timed_out)
        floor.connect('realize', self._realized)

    def add(self, key, value):
        self.summary.append(f'{key}: {value}')

    def _realized(self, window):
        if self.frame_clock is None and self.step != 'done':
            self.frame_clock = window.get_frame_clock()
            self.after_paint_id = self.frame_clock.connect('after-paint', self._after_paint)

    def _stop_watching(self):
        for source in (self.timeout_id, self.idle_id):
            if source:
                GLib.source_remove(source)
        self.timeout_id = self.idle_id = 0
        if self.after_paint_id:
            self.frame_clock.disconnect(self.after_paint_id)
            self.after_paint_id = 0

    def finish(self, exit_status):
        if self.step == 'done':
            return
        self.step = 'done'
        self.exit_status = exit_status
        self._stop_watching()
        if self.options.script:
            print('\n'.join(self.summary), flush=True)
            self.application.quit()

    def fail(self, message):
        print(f'casino-floor: {message}', file=sys.stderr)
        self.add('error', message)
        self.finish(1)

    def _timed_out(self):
        self.timeout_id = 0
        self.fail(f'the tour stopped at step {self.step}: nothing happened for {STEP_TIMEOUT_SECONDS} s')
        return GLib.SOURCE_REMOVE

    def look_after_frames(self, step):
        self.step = step
        self.frames_to_wait = SETTLE_FRAMES
        if self.options.script:
            if self.timeout_id:
                GLib.source_remove(self.timeout_id)
            self.timeout_id = GLib.timeout_add_seconds(STEP_TIMEOUT_SECONDS, self._timed_out)
        self.floor.queue_draw()

    def note_live_views(self):
        self.max_live_views = max(self.max_live_views, self.store.get_n_live_views())

    def _after_paint(self, frame_clock):
        self.note_live_views()
        if not self.first_frame_seen:
            if not self.floor.get_mapped():
                return
            self.first_frame_seen = True
            self.record_first_frame()
            self.frames_to_wait = SETTLE_FRAMES
        if self.frames_to_wait == 0:
            return
        self.frames_to_wait -= 1
        if self.frames_to_wait > 0:
            self.floor.queue_draw()
        elif not self.idle_id:
            # Look and act from the main loop, outside the frame cycle.
            self.idle_id = GLib.idle_add(self._run_step)

    def record_first_frame(self):
        now = time.monotonic()
        self.add('machines', self.store.get_n_items())
        self.add('fill-ms', f'{self.fill_seconds * 1000:.1f}')
        self.add('fill-cpu-ms', f'{self.fill_cpu_seconds * 1000:.1f}')
        self.add('first-frame-ms', f'{(now - STARTED) * 1000:.1f}')
        self.add('first-frame-cpu-ms', f'{time.process_time() * 1000:.1f}')
        self.add('rss-first-frame-kb', rss_kb())
        self.add('live-views-first-frame', self.store.get_n_live_views())

    def scroll_to(self, end):
        # A retry moves the adjustment away and back first, so that the list
        # hears a change even when the value is the one it had: GTK 4.8's
        # list views sometimes let a change go by unheeded.
        adjustment = self.floor.scroller.get_vadjustment()
        lower = adjustment.get_lower()
        last = adjustment.get_upper() - adjustment.get_page_size()
        if self.tries > 0:
            adjustment.set_value(last - 1 if end else lower + 1)
        adjustment.set_value(last if end else lower)

    def reached(self, end, key):
        rows = self.floor.rows_on_screen()
        wanted = self.store.get_n_items() - 1 if end else 0
        row = (rows[-1] if end else rows[0]) if rows else None
        if (row is None or row['position'] != wanted) and self.tries < MAX_SCROLL_TRIES:
            self.tries += 1
            self.scroll_to(end)
            self.look_after_frames(self.step)
            return False
        self.add(key, 'nothing' if row is None else f'position {row["position"]}, number {row["number"]}')
        self.add('rows-on-screen-at-end' if end else 'rows-on-screen-at-start', len(rows))
        self.add('scroll-retries-to-end' if end else 'scroll-retries-to-start', self.tries)
        self.tries = 0
        return True

    def compare_draws(self):
        after = self.floor.rows_on_screen()
        before = {row['position']: row['shown'] for row in self.before_pull}
        compared = [row for row in after if row['position'] in before]
        changed = [row for row in compared if row['shown'] != before[row['position']]]
        matching = [row for row in after if row['shown'] == row['stored']]
        self.add('draws-on-screen', len(after))
        self.add('draws-changed', f'{len(changed)} of {len(compared)}')
        self.add('draws-matching-store', f'{len(matching)} of {len(after)}')
        if after and self.before_pull:
            self.add('first-draw-on-screen', f'{self.before_pull[0]["shown"]} -> {after[0]["shown"]}')
        self.before_pull = []

    def smallest_owner(self):
        """The smallest owner the store holds, found with its own count."""
        present = [owner for owner in OWNERS if self.store.count_attr('owner', owner) > 0]
        return min(present) if present else 'nothing'

    def sort_then_look(self, key, descending, step):
        if not self.floor.sort_by_column(key, descending):
            self.add('sort-error', f'by {key}: {self.floor.sort_error or "no such column"}')
        self.look_after_frames(step)

    def report_first_row(self, key, field):
        rows = self.floor.rows_on_screen()
        sort_ms = self.floor.sort_time * 1000
        self.add(key, f'{rows[0][field]} ({sort_ms:.0f} ms)' if rows else 'nothing')

    def report_edited_owner(self, key):
        """The owner of the first row, as its cell shows it and as the
        store holds it."""
        rows = self.floor.rows_on_screen()
        shown = rows[0]['owner'] if rows and rows[0]['position'] == 0 else 'nothing'
        self.add(key, f'{shown} (shown), {self.store.get_view(0).get_attr("owner")} (stored)')

    def report_rss(self, after):
        self.add(f'rss-after-{after}-kb', rss_kb())

    def take_screenshot(self):
        """Returns False if a screenshot was asked for and not saved."""
        if not self.options.screenshot:
            return True
        try:
            width, height, colors = save_screenshot(self.floor, self.options.screenshot)
        except (OSError, GLib.Error) as e:
            print(f'casino-floor: {e}', file=sys.stderr)
            self.add('screenshot-error', e)
            return False
        self.add('screenshot', self.options.screenshot)
        self.add('screenshot-size', f'{width}x{height}')
        self.add('screenshot-colors', colors)
        return True

    def finish_tour(self):
        saved = self.take_screenshot()
        self.note_live_views()
        self.add('live-views-max', self.max_live_views)
        self.add('live-views-end', self.store.get_n_live_views())
        self.add('rss-end-kb', rss_kb())
        self.add('rss-peak-kb', peak_rss_kb())
        # Closing the window unbinds and drops every row: no machine object
        # may stay alive after it.
        self._stop_watching()
        floor, self.floor = self.floor, None
        floor.close()
        del floor
        self.add('live-views-after-close', self.store.get_n_live_views())
        self.step = 'closed'
        self.finish(0 if saved else 1)

    def _run_step(self):
        self.idle_id = 0
        step = self.step
        if step == 'first-frame':
            if not self.options.script:
                self.finish(0 if self.take_screenshot() else 1)
                return GLib.SOURCE_REMOVE
            self.scroll_to(True)
            self.look_after_frames('scroll-to-end')
        elif step == 'scroll-to-end':
            if self.reached(True, 'last-row-on-screen'):
                self.report_rss('scroll-to-end')
                self.scroll_to(False)
                self.look_after_frames('scroll-to-start')
        elif step == 'scroll-to-start':
            if self.reached(False, 'first-row-on-screen'):
                self.report_rss('scroll-to-start')
                self.before_pull = self.floor.rows_on_screen()
                self.add('pull-ms', f'{self.floor.pull_every_arm() * 1000:.1f}')
                self.look_after_frames('pull')
        elif step == 'pull':
            self.compare_draws()
            self.report_rss('pull')
            if not self.floor.edit_owner(0, EDITED_OWNER):
                self.add('owner-edit-error', "the first row's owner cell is not on screen")
            self.look_after_frames('edit-owner')
        elif step == 'edit-owner':
            self.report_edited_owner('owner-edited')
            self.sort_then_look('number', True, 'sort-by-number-descending')
        elif step == 'sort-by-number-descending':
            self.report_first_row('sorted-by-number-descending-first', 'number')
            self.report_rss('sort-by-number-descending')
            self.sort_then_look('owner', False, 'sort-by-owner')
        elif step == 'sort-by-owner':
            self.report_first_row('sorted-by-owner-first', 'owner')
            self.report_rss('sort-by-owner')
            self.add('smallest-owner', self.smallest_owner())
            self.sort_then_look('number', False, 'sort-by-number')
        elif step == 'sort-by-number':
            self.report_first_row('sorted-by-number-first', 'number')
            self.report_edited_owner('sorted-by-number-first-owner')
            self.report_rss('sort-by-number')
            start = time.monotonic()
            self.floor.add_machines(ADD_COUNT)
            self.add('add-ms', f'{(time.monotonic() - start) * 1000:.1f}')
            self.look_after_frames('add')
        elif step == 'add':
            n_items = self.store.get_n_items()
            last = self.store.get_view(n_items - 1).get_attr('number') if n_items else -1
            self.add('machines-after-add', f'{n_items}, the last numbered {last}')
            self.report_rss('add')
            self.look_after_frames('screenshot')
        elif step == 'screenshot':
            self.finish_tour()
        return GLib.SOURCE_REMOVE


def parse_count(text):
    """A count as a whole number, with 1e6 or 1_000_000 accepted too."""
    digits = text.replace('_', '').replace(',', '')
    mantissa, _, exponent = digits.lower().partition('e')
    try:
        if not mantissa.isdigit() or (exponent and not exponent.isdigit()) or int(exponent or 0) > 9:
            raise ValueError
        value = int(mantissa) * 10 ** int(exponent or 0)
        if value > MAX_MACHINES:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'invalid number of machines “{text}”: expected a whole number from 0 to '
            f'{MAX_MACHINES}, such as 1000000 or 1e6') from None
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', '--machines', type=parse_count, default=DEFAULT_MACHINES, metavar='N',
                        help='how many machines to put on the floor (default 1000000; 1e6 works too)')
    parser.add_argument('--script', action='store_true',
                        help='scroll to the end and back, pull every arm, sort, print a summary and quit')
    parser.add_argument('--screenshot', metavar='FILE',
                        help='save a PNG of the window: after the tour, or after the first frame')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='seed of the draws (default 1): the same seed pulls the same symbols')
    options = parser.parse_args()
    if options.script and options.machines == 0:
        parser.error('--script needs at least one machine')

    if platform.libc_ver()[0] == 'glibc':
        # A sort of a million rows takes the store tens of megabytes of
        # scratch memory for a moment; with glibc's sliding mmap threshold
        # they would stay in the heap once freed. M_MMAP_THRESHOLD is -3.
        ctypes.CDLL(None).mallopt(-3, 128 * 1024)

    application = Gtk.Application(application_id='org.libflyweight.CasinoFloorPy',
                                  flags=Gio.ApplicationFlags.NON_UNIQUE)
    state = {'tour': None, 'exit_status': 0}

    def activate(app):
        if state['tour'] is not None:
            window = app.get_active_window()
            if window is not None:
                window.present()
            return
        store = Flyweight.PokiesStore.new()
        start, cpu_start = time.monotonic(), time.thread_time()
        try:
            fill(store, 1, options.machines)
        except GLib.Error as e:
            print(f'casino-floor: cannot lay out {options.machines} machines: {e.message}', file=sys.stderr)
            state['exit_status'] = 1
            return
        fill_seconds, fill_cpu_seconds = time.monotonic() - start, time.thread_time() - cpu_start
        floor = Floor(app, store, options.machines + 1, options.seed)
        state['tour'] = Tour(floor, options, fill_seconds, fill_cpu_seconds)
        floor.present()

    application.connect('activate', activate)
    status = application.run([sys.argv[0]])
    if status == 0 and state['tour'] is not None:
        status = state['tour'].exit_status
    return status or state['exit_status']


if __name__ == '__main__':
    sys.exit(main())
