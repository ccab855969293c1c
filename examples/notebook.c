/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The "__slots__ flyweight pattern made easy" notebook, replayed in C.
 *
 * Each cell is printed as the Python it stands for, then what libflyweight
 * answers. FlyweightPokiesDynamic plays the class with a __dict__,
 * FlyweightPokiesSlotted the one with __slots__.
 *
 *   cc notebook.c $(pkg-config --cflags --libs flyweight-1) -o notebook
 */

#include <stdlib.h>
#include <flyweight.h>

static void
cell (const char *number,
      const char *python)
{
  g_print ("\nIn [%s]: %s\n", number, python);
}

static void
print_draw (FlyweightPokies *machine)
{
  guint n_values;
  g_autofree guint *values = flyweight_pokies_draw (machine, &n_values);
  g_autoptr(GString) out = g_string_new ("(");

  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? ", " : "", values[i]);
  g_print ("Out: %s)\n", out->str);
}

static void
print_dict (FlyweightPokies *machine)
{
  g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  g_autofree char *printed = g_variant_print (dict, FALSE);

  g_print ("Out: %s\n", printed);
}

static void
print_names (const char * const *names)
{
  g_autofree char *joined = g_strjoinv ("', '", (char **) names);

  g_print ("Out: ['%s']\n", joined);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) pokies = NULL;
  g_autoptr(FlyweightPokies) flyweight = NULL;
  g_autoptr(FlyweightWeakRef) ref = NULL;
  g_autoptr(GObject) referent = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GValue) owner = G_VALUE_INIT;

  g_print ("# __slots__ flyweight pattern made easy\n");

  cell ("2", "pokies = Pokies(3, 10); pokies.draw()");
  pokies = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, &error));
  if (pokies == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  print_draw (pokies);

  cell ("3", "dir(pokies)  ->  flyweight_pokies_list_attrs (pokies)");
  names = flyweight_pokies_list_attrs (pokies);
  print_names ((const char * const *) names);

  g_print ("\n# __dict__\n");

  cell ("4", "pokies.__dict__  ->  flyweight_pokies_dynamic_get_dict (pokies)");
  print_dict (pokies);

  cell ("5", "pokies.owner = 'Aristocrat'; pokies.__dict__");
  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");
  if (!flyweight_pokies_set_attr (pokies, "owner", &owner, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  print_dict (pokies);

  cell ("6", "del pokies.owner; pokies.__dict__");
  if (!flyweight_pokies_del_attr (pokies, "owner", &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  print_dict (pokies);

  g_print ("\n# __weakref__\n");

  cell ("7", "ref = weakref.ref(pokies)  ->  flyweight_weak_ref_new (pokies), or a plain GWeakRef");
  ref = flyweight_weak_ref_new (G_OBJECT (pokies));
  referent = flyweight_weak_ref_get (ref);
  g_print ("Out: <weak reference to %s at %p>\n", G_OBJECT_TYPE_NAME (referent), (void *) referent);

  cell ("8", "ref().draw()  ->  flyweight_pokies_draw (flyweight_weak_ref_get (ref))");
  print_draw (FLYWEIGHT_POKIES (referent));
  g_clear_object (&referent);

  g_print ("\n# A flyweight minimizes memory use\n");

  cell ("10", "flyweight = FlyweightPokies(3, 10); flyweight.draw()");
  flyweight = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, &error));
  if (flyweight == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  print_draw (flyweight);

  g_print ("\n# What is the difference?\n");

  cell ("11", "set(dir(pokies)) - set(dir(flyweight))");
  g_print ("Out: {get_dict, ::attr-changed}: the slotted machine has no table to show or watch\n");

  cell ("12", "flyweight.owner = 'Aristocrat'");
  if (!flyweight_pokies_set_attr (flyweight, "owner", &owner, &error))
    {
      g_print ("Error: %s\n", error->message);
      g_clear_error (&error);
    }

  cell ("13", "weakref.ref(flyweight)  ->  works: any GObject can be weakly referenced");
  flyweight_weak_ref_set (ref, G_OBJECT (flyweight));
  referent = flyweight_weak_ref_get (ref);
  g_print ("Out: <weak reference to %s at %p>\n", G_OBJECT_TYPE_NAME (referent), (void *) referent);
  g_clear_object (&referent);

  cell ("", "del flyweight; ref()");
  g_clear_object (&flyweight);
  referent = flyweight_weak_ref_get (ref);
  g_print ("Out: %s\n", referent == NULL ? "None" : "still alive");

  g_print ("\n# ~25%% memory usage\n");
  cell ("16", "%memit [Pokies(3, 10) for _ in xrange(int(1e6))]");
  g_print ("Run flyweight-memit: it measures a million of each kind, CPython's classes included.\n");

  g_print ("\n# Do it last, if ever\n");
  cell ("23", "broken = BrokenPokies(3, 10)  ->  g_object_new (FLYWEIGHT_TYPE_POKIES, ...)");
  g_print ("Error: FlyweightPokies is %s: it has nowhere to keep reels and symbols\n",
           G_TYPE_IS_ABSTRACT (FLYWEIGHT_TYPE_POKIES) ? "abstract" : "concrete");

  return EXIT_SUCCESS;
}
