// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The "__slots__ flyweight pattern made easy" notebook, replayed in Vala.
//
// Each cell is printed as the Python it stands for, then what libflyweight
// answers. Flyweight.PokiesDynamic plays the class with a __dict__,
// Flyweight.PokiesSlotted the one with __slots__.
//
//   valac --pkg flyweight-1 notebook.vala

static void cell (string number, string python) {
    print ("\nIn [%s]: %s\n", number, python);
}

static string tuple (uint[] values) {
    var text = new StringBuilder ("(");
    for (int i = 0; i < values.length; i++) {
        text.append_printf ("%s%u", i > 0 ? ", " : "", values[i]);
    }
    text.append (")");
    return text.str;
}

static string dict (Flyweight.PokiesDynamic machine) {
    return machine.get_dict ().print (false);
}

static string describe (Flyweight.WeakRef reference) {
    GLib.Object? target = reference.get ();
    if (target == null) {
        return "<Flyweight.WeakRef; dead>";
    }
    return "<Flyweight.WeakRef; to %s>".printf (target.get_type ().name ());
}

static int main () {
    // Error messages come out in the user's language.
    Intl.setlocale (LocaleCategory.ALL, "");

    print ("# __slots__ flyweight pattern made easy\n");

    Flyweight.PokiesDynamic pokies;
    try {
        pokies = new Flyweight.PokiesDynamic (3, 10);
    } catch (GLib.Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    cell ("2", "pokies = Pokies(3, 10); pokies.draw()");
    print ("Out: %s\n", tuple (pokies.draw ()));
    print ("Seeded: %s\n", tuple (pokies.draw_with (new Flyweight.Random (42))));

    cell ("3", "dir(pokies)  ->  pokies.list_attrs ()");
    print ("Out: %s\n", string.joinv (", ", pokies.list_attrs ()));

    print ("\n# __dict__\n");

    cell ("4", "pokies.__dict__  ->  pokies.get_dict ()");
    print ("Out: %s\n", dict (pokies));

    pokies.attr_changed["owner"].connect ((name) => {
        print ("attr-changed::%s\n", name);
    });

    cell ("5", "pokies.owner = 'Aristocrat'; pokies.__dict__");
    try {
        pokies.set_attr ("owner", "Aristocrat");
        GLib.Value owner;
        pokies.get_attr ("owner", out owner);
        print ("owner = %s\n", owner.get_string ());
    } catch (GLib.Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    print ("Out: %s\n", dict (pokies));

    cell ("6", "del pokies.owner; pokies.__dict__");
    try {
        pokies.del_attr ("owner");
    } catch (GLib.Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    print ("Out: %s\n", dict (pokies));

    print ("\n# __weakref__\n");

    cell ("7", "ref = weakref.ref(pokies)  ->  new Flyweight.WeakRef (pokies)");
    var reference = new Flyweight.WeakRef (pokies);
    print ("Out: %s\n", describe (reference));

    cell ("8", "ref().draw()  ->  ((Flyweight.Pokies) reference.get ()).draw ()");
    var referent = (Flyweight.Pokies) reference.get ();
    print ("Out: %s\n", tuple (referent.draw ()));
    referent = null;

    print ("\n# A flyweight minimizes memory use\n");

    cell ("10", "flyweight = FlyweightPokies(3, 10); flyweight.draw()");
    Flyweight.PokiesSlotted? flyweight;
    try {
        flyweight = new Flyweight.PokiesSlotted (3, 10);
    } catch (GLib.Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    print ("Out: %s\n", tuple (flyweight.draw ()));

    print ("\n# What is the difference?\n");

    cell ("11", "set(dir(pokies)) - set(dir(flyweight))");
    print ("Out: {get_dict, attr-changed}: a slotted machine has no table to show or watch\n");

    cell ("12", "flyweight.owner = 'Aristocrat'");
    try {
        flyweight.set_attr ("owner", "Aristocrat");
        printerr ("a slotted machine stored “owner”\n");
        return 1;
    } catch (GLib.Error e) {
        if (!e.matches (Flyweight.Error.quark (), Flyweight.Error.NO_ATTRIBUTE)) {
            printerr ("unexpected error: %s\n", e.message);
            return 1;
        }
        print ("GLib.Error (Flyweight.Error.NO_ATTRIBUTE): %s\n", e.message);
    }

    cell ("13", "weakref.ref(flyweight)  ->  works: any GObject can be weakly referenced");
    reference.set (flyweight);
    print ("Out: %s\n", describe (reference));

    cell ("", "del flyweight; ref()");
    flyweight = null;
    print ("Out: %s\n", describe (reference));
    if (reference.get () != null) {
        printerr ("the weak reference outlived its object\n");
        return 1;
    }

    print ("\n# ~25%% memory usage\n");
    cell ("16", "%memit [Pokies(3, 10) for _ in xrange(int(1e6))]");
    print ("Run flyweight-memit: it measures a million of each kind, CPython's classes included.\n");

    print ("\n# Do it last, if ever\n");
    cell ("23", "broken = BrokenPokies(3, 10)  ->  new Flyweight.Pokies ()");
    print ("Error: Flyweight.Pokies is %s: “new Flyweight.Pokies ()” does not even compile, "
           + "and it has nowhere to keep reels and symbols\n",
           typeof (Flyweight.Pokies).is_abstract () ? "abstract" : "concrete");
    if (!typeof (Flyweight.Pokies).is_abstract ()) {
        return 1;
    }

    return 0;
}
