/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* attr-memory: what a machine with k attributes of its own costs, next to
 * CPython's Pokies with the same attributes, for every mix of names:
 *
 *   shared   every machine gets the same names in the same order
 *   orders   the same names, in an order of each machine's own
 *   unique   names no other machine has
 *   half     k/2 shared names, then k - k/2 names of its own
 *
 * Each figure comes from a fresh process that makes N machines, each given
 * its k attributes (the ints 0 .. k-1, which CPython keeps for free), and
 * reports (RSS after − RSS before) / N from /proc/self/statm: the machine
 * and its attributes, names included; the array that holds the machines is
 * allocated and touched before the first reading, so the 8-byte reference
 * to each is not counted, on either side. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <flyweight.h>

static gint64 opt_count = 100000;
static char *opt_ks = NULL;
static char *opt_child = NULL;
static gboolean opt_no_python = FALSE;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count,
    "Machines per process (default 100000)", "N" },
  { "attributes", 'k', 0, G_OPTION_ARG_STRING, &opt_ks,
    "Comma-separated numbers of attributes a machine (default 1,2,4,8,16,32)", "LIST" },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &opt_no_python,
    "Leave out the CPython column", NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_child,
    "Measure MIX:K in this process and print bytes per machine", "MIX:K" },
  { NULL }
};

static const char * const mixes[] = { "shared", "orders", "unique", "half" };

/* The same measurement in CPython, on the notebook's own Pokies. */
static const char python_child[] =
  "import random, sys\n"
  "exec(open(sys.argv[1]).read())\n"
  "mix, k, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])\n"
  "page = __import__('os').sysconf('SC_PAGE_SIZE')\n"
  "def rss():\n"
  "    with open('/proc/self/statm') as f:\n"
  "        return int(f.read().split()[1]) * page\n"
  "shared = ['a%d' % j for j in range(k)]\n"
  "rand = random.Random(1)\n"
  "machines = [None] * n\n"
  "before = rss()\n"
  "for i in range(n):\n"
  "    p = Pokies(3, 10)\n"
  "    if mix == 'shared':\n"
  "        names = shared\n"
  "    elif mix == 'orders':\n"
  "        names = shared[:]\n"
  "        rand.shuffle(names)\n"
  "    elif mix == 'unique':\n"
  "        names = ['u%d_%d' % (i, j) for j in range(k)]\n"
  "    else:\n"
  "        names = shared[:k // 2] + ['u%d_%d' % (i, j) for j in range(k - k // 2)]\n"
  "    for j, name in enumerate(names):\n"
  "        setattr(p, name, j)\n"
  "    machines[i] = p\n"
  "print((rss() - before) / n)\n";

static gsize
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    g_error ("cannot read /proc/self/statm");
  fields = g_strsplit (statm, " ", -1);

  return (gsize) g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE);
}

static int
child_main (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 2);
  const char *mix = parts[0];
  guint k = (guint) g_ascii_strtoull (parts[1], NULL, 10);
  FlyweightPokiesDynamic **machines = g_new0 (FlyweightPokiesDynamic *, opt_count);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree guint *order = g_new (guint, k);
  GValue value = G_VALUE_INIT;
  gsize before;

  /* The array, touched, and the classes, made, before the first reading. */
  memset (machines, 0, opt_count * sizeof *machines);
  g_type_class_unref (g_type_class_ref (FLYWEIGHT_TYPE_POKIES_DYNAMIC));
  g_value_init (&value, G_TYPE_INT);
  before = rss_bytes ();

  for (gint64 i = 0; i < opt_count; i++)
    {
      machines[i] = flyweight_pokies_dynamic_new (3, 10, NULL);

      for (guint j = 0; j < k; j++)
        order[j] = j;
      if (g_str_equal (mix, "orders"))
        for (guint j = k; j > 1; j--)
          {
            guint swap = g_rand_int_range (rand, 0, (gint32) j), kept = order[j - 1];

            order[j - 1] = order[swap];
            order[swap] = kept;
          }

      for (guint j = 0; j < k; j++)
        {
          gboolean own = g_str_equal (mix, "unique") || (g_str_equal (mix, "half") && j >= k / 2);
          g_autofree char *name = own ? g_strdup_printf ("u%" G_GINT64_FORMAT "_%u", i, j)
                                      : g_strdup_printf ("a%u", order[j]);

          g_value_set_int (&value, (gint) j);
          if (!flyweight_pokies_set_attr (FLYWEIGHT_POKIES (machines[i]), name, &value, NULL))
            g_error ("set_attr %s failed", name);
        }
    }

  g_print ("%.1f\n", (double) (rss_bytes () - before) / (double) opt_count);

  for (gint64 i = 0; i < opt_count; i++)
    g_object_unref (machines[i]);
  g_free (machines);
  g_value_unset (&value);

  return 0;
}

/* Runs @argv and reads the one number it prints. */
static double
measure (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error->message);

  return g_ascii_strtod (out, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ks = NULL;
  g_autofree char *count = NULL;
  gboolean python;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Bytes a machine with k attributes costs, next to CPython's Pokies with the same\n"
    "attributes, for shared names, shuffled orders, names of its own, and half of each.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("attr-memory: %s\n", error->message);
      return 2;
    }
  if (opt_count < 1)
    {
      g_printerr ("attr-memory: the count must be at least 1\n");
      return 2;
    }

  if (opt_child != NULL)
    return child_main (opt_child);

  ks = g_strsplit (opt_ks != NULL ? opt_ks : "1,2,4,8,16,32", ",", -1);
  count = g_strdup_printf ("%" G_GINT64_FORMAT, opt_count);
  python = !opt_no_python && g_file_test (PYTHON3, G_FILE_TEST_IS_EXECUTABLE) &&
           g_file_test (NOTEBOOK_PY, G_FILE_TEST_EXISTS);

  g_print ("attr-memory: GLib %u.%u.%u, N = %s machines a process; bytes per machine, "
           "attributes and names included, reference excluded\n",
           glib_major_version, glib_minor_version, glib_micro_version, count);
  g_print ("%-8s %4s  %14s  %14s  %8s\n", "names", "k", "PokiesDynamic", python ? "CPython Pokies" : "", python ? "ratio" : "");

  for (guint m = 0; m < G_N_ELEMENTS (mixes); m++)
    for (guint i = 0; ks[i] != NULL; i++)
      {
        g_autofree char *spec = g_strdup_printf ("%s:%s", mixes[m], ks[i]);
        const char *ours_argv[] = { argv[0], "--child", spec, "--count", count, NULL };
        double ours = measure (ours_argv);

        g_print ("%-8s %4s  %14.1f", mixes[m], ks[i], ours);
        if (python)
          {
            const char *python_argv[] = { PYTHON3, "-I", "-c", python_child, NOTEBOOK_PY,
                                          mixes[m], ks[i], count, NULL };
            double theirs = measure (python_argv);

            g_print ("  %14.1f  %8.2f", theirs, ours / theirs);
          }
        g_print ("\n");
      }

  return 0;
}
