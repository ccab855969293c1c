/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* attr-bench: what an attribute costs, against CPython's own o.owner.
 *
 *   speed    reading and writing an existing attribute, through the public
 *            C API, next to CPython's `o.owner` and `o.owner = 'Aristocrat'`
 *            on the notebook's Pokies, timed with timeit in a child process,
 *            and the floors no such call can go below: a call into the
 *            library, the lock every call takes, a string's copy
 *   cold     the same read on each of many machines in shuffled order, next
 *            to CPython reading `owner` from as many Pokies
 *   threads  set_attr on two machines from two threads, against the same
 *            work done by one thread: 1.00 is perfect scaling, 2.00 none;
 *            the machines share no cache line, which nothing could scale on
 *   names    one machine given N distinct names, then read back
 *   peek     the bindings' read, last: it costs every later set_attr()
 *            a look at the thread's peeked value
 *
 * The rows of one repetition run back to back, ours then CPython's, and
 * the figures are medians over the repetitions, so that a slow spell of a
 * shared machine hits both. Compare the ratios, not the absolute times.
 * The test suite runs it with tiny counts, to keep it working. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <flyweight.h>

static gint64 opt_operations = 1000000;
static gint opt_repetitions = 7;
static gint64 opt_machines = 1000000;
static gint64 opt_thread_operations = 2000000;
static char *opt_names = NULL;
static char **opt_sections = NULL;
static gboolean opt_no_python = FALSE;

static const GOptionEntry entries[] = {
  { "operations", 'n', 0, G_OPTION_ARG_INT64, &opt_operations,
    "Calls per timed loop (default 1000000)", "N" },
  { "repetitions", 'r', 0, G_OPTION_ARG_INT, &opt_repetitions,
    "Repetitions, of which the median is reported (default 7)", "R" },
  { "machines", 'm', 0, G_OPTION_ARG_INT64, &opt_machines,
    "Machines for the cold reads (default 1000000)", "M" },
  { "thread-operations", 't', 0, G_OPTION_ARG_INT64, &opt_thread_operations,
    "Calls per thread for the threads section (default 2000000)", "N" },
  { "names", 0, 0, G_OPTION_ARG_STRING, &opt_names,
    "Comma-separated numbers of names for the names section (default 10000,100000,1000000)", "LIST" },
  { "section", 's', 0, G_OPTION_ARG_STRING_ARRAY, &opt_sections,
    "Run only this section: speed, cold, threads, names or peek (repeatable)", "NAME" },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &opt_no_python,
    "Leave out the CPython rows", NULL },
  { NULL }
};

static gint64
clock_ns (clockid_t clock)
{
  struct timespec t;

  clock_gettime (clock, &t);
  return (gint64) t.tv_sec * G_GINT64_CONSTANT (1000000000) + t.tv_nsec;
}

static gint64
now_ns (void)
{
  return clock_ns (CLOCK_MONOTONIC);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);

  return g_array_index (samples, double, samples->len / 2);
}

static gboolean
wanted (const char *section)
{
  return opt_sections == NULL || g_strv_contains ((const char * const *) opt_sections, section);
}

/* ---- CPython, in a child that times what it is asked to ---- */

/* The notebook's classes are read from the file memit also runs. */
static const char python_child[] =
  "import random, sys, timeit\n"
  "exec(open(sys.argv[1]).read())\n"
  "o = Pokies(3, 10)\n"
  "o.owner = 'Aristocrat'\n"
  "objs = []\n"
  "for line in sys.stdin:\n"
  "    what, n = line.split()\n"
  "    n = int(n)\n"
  "    if what == 'read':\n"
  "        t = timeit.timeit('o.owner', globals={'o': o}, number=n) / n\n"
  "    elif what == 'write':\n"
  "        t = timeit.timeit(\"o.owner = 'Aristocrat'\", globals={'o': o}, number=n) / n\n"
  "    elif what == 'cold-setup':\n"
  "        objs = [Pokies(3, 10) for _ in range(n)]\n"
  "        for p in objs:\n"
  "            p.owner = 'Aristocrat'\n"
  "        random.Random(1).shuffle(objs)\n"
  "        t = 0\n"
  "    elif what == 'cold-read':\n"
  "        t = timeit.timeit('for p in objs: p.owner', globals={'objs': objs}, number=1) / len(objs)\n"
  "    elif what == 'names':\n"
  "        names = ['n%d' % i for i in range(n)]\n"
  "        p = Pokies(3, 10)\n"
  "        t = timeit.timeit('for i, name in enumerate(names): setattr(p, name, i)',\n"
  "                          globals={'p': p, 'names': names}, number=1)\n"
  "        t += timeit.timeit('for name in names: getattr(p, name)',\n"
  "                           globals={'p': p, 'names': names}, number=1)\n"
  "    print(t * 1e9, flush=True)\n";

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *output;
  GOutputStream    *input;
  char             *version;
} Python;

static Python *
python_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  Python *python;

  if (opt_no_python || !g_file_test (PYTHON3, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (NOTEBOOK_PY, G_FILE_TEST_EXISTS))
    return NULL;

  if (!g_spawn_command_line_sync (PYTHON3 " -c \"import platform; print(platform.python_version())\"",
                                  &version, NULL, NULL, &error))
    g_error ("cannot run %s: %s", PYTHON3, error->message);

  python = g_new0 (Python, 1);
  python->version = g_strstrip (g_steal_pointer (&version));
  python->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                      &error, PYTHON3, "-I", "-c", python_child, NOTEBOOK_PY, NULL);
  if (python->process == NULL)
    g_error ("cannot run %s: %s", PYTHON3, error->message);
  python->input = g_subprocess_get_stdin_pipe (python->process);
  python->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (python->process));

  return python;
}

/* Asks the child to time @what over @n operations; ns per operation. */
static double
python_time (Python     *python,
             const char *what,
             gint64      n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", what, n);
  g_autofree char *reply = NULL;

  if (!g_output_stream_write_all (python->input, request, strlen (request), NULL, NULL, &error) ||
      !g_output_stream_flush (python->input, NULL, &error) ||
      (reply = g_data_input_stream_read_line (python->output, NULL, NULL, &error)) == NULL)
    g_error ("the CPython child failed: %s", error != NULL ? error->message : "it stopped");

  return g_ascii_strtod (reply, NULL);
}

static void
python_stop (Python *python)
{
  if (python == NULL)
    return;

  g_output_stream_close (python->input, NULL, NULL);
  g_subprocess_wait (python->process, NULL, NULL);
  g_object_unref (python->output);
  g_object_unref (python->process);
  g_free (python->version);
  g_free (python);
}

/* ---- machines ---- */

static GValue owner_value = G_VALUE_INIT;
static GValue other_value = G_VALUE_INIT;
static GValue count_value = G_VALUE_INIT;

static void
set_attr (FlyweightPokiesDynamic *machine,
          const char             *name,
          const GValue           *value)
{
  g_autoptr(GError) error = NULL;

  if (!flyweight_pokies_set_attr (FLYWEIGHT_POKIES (machine), name, value, &error))
    g_error ("set_attr: %s", error->message);
}

/* A machine with owner and count, as most machines of a program: on the
 * shapes the first machine with these names made. */
static FlyweightPokiesDynamic *
new_machine (void)
{
  FlyweightPokiesDynamic *machine = flyweight_pokies_dynamic_new (3, 10, NULL);

  set_attr (machine, "owner", &owner_value);
  set_attr (machine, "count", &count_value);

  return machine;
}

/* ---- speed ---- */

typedef enum
{
  ROW_GET_EMPTY,
  ROW_GET_REUSED,
  ROW_GET_INT,
  ROW_GET_INT_REUSED,
  ROW_GET_OWN_TABLE,
  ROW_SET_SAME,
  ROW_SET_CHANGING,
  ROW_SET_INT,
  ROW_FLOOR_CALL,
  ROW_FLOOR_LOCK,
  ROW_FLOOR_COPY,
  N_C_ROWS
} Row;

static const struct
{
  const char *label;
  gboolean    write;
} c_rows[N_C_ROWS] = {
  [ROW_GET_EMPTY] = { "get_attr (\"owner\") into an empty GValue, unset after", FALSE },
  [ROW_GET_REUSED] = { "get_attr (\"owner\") into the same string GValue", FALSE },
  [ROW_GET_INT] = { "get_attr (\"count\"), an int, into an empty GValue", FALSE },
  [ROW_GET_INT_REUSED] = { "get_attr (\"count\") into the same int GValue", FALSE },
  [ROW_GET_OWN_TABLE] = { "get_attr (\"owner\") of a machine with a table of its own", FALSE },
  [ROW_SET_SAME] = { "set_attr (\"owner\", \"Aristocrat\"), the value it holds", TRUE },
  [ROW_SET_CHANGING] = { "set_attr (\"owner\") alternating two strings", TRUE },
  [ROW_SET_INT] = { "set_attr (\"count\", an int)", TRUE },
  /* What no attribute call can go below, through the public API and with
   * thread safety: a call into the library with its type check, the lock
   * every call takes (the store's costs the same instructions: one
   * compare-and-swap to take it, one store to release it), and the copy
   * that a GValue of its own means for a string. */
  [ROW_FLOOR_CALL] = { "floor: flyweight_pokies_get_reels (), a call and type check", FALSE },
  [ROW_FLOOR_LOCK] = { "floor: a lock taken and released (compare-and-swap, store)", FALSE },
  [ROW_FLOOR_COPY] = { "floor: g_strdup () and g_free () of \"Aristocrat\"", FALSE },
};

/* Where the floor rows leave their results, so that they are computed. */
static volatile guint floor_sink;
static gpointer floor_lock_word;

static double
time_row (Row                     row,
          FlyweightPokiesDynamic *machine,
          FlyweightPokiesDynamic *own_table,
          gint64                  n)
{
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (machine);
  g_auto(GValue) reused = G_VALUE_INIT;
  gint64 start;

  g_value_init (&reused, G_TYPE_STRING);
  start = now_ns ();

  switch (row)
    {
    case ROW_GET_EMPTY:
      for (gint64 i = 0; i < n; i++)
        {
          GValue value = G_VALUE_INIT;

          flyweight_pokies_get_attr (pokies, "owner", &value, NULL);
          g_value_unset (&value);
        }
      break;

    case ROW_GET_REUSED:
      for (gint64 i = 0; i < n; i++)
        flyweight_pokies_get_attr (pokies, "owner", &reused, NULL);
      break;

    case ROW_GET_INT:
      for (gint64 i = 0; i < n; i++)
        {
          GValue value = G_VALUE_INIT;

          flyweight_pokies_get_attr (pokies, "count", &value, NULL);
          g_value_unset (&value);
        }
      break;

    case ROW_GET_INT_REUSED:
      {
        g_auto(GValue) number = G_VALUE_INIT;

        g_value_init (&number, G_TYPE_INT);
        for (gint64 i = 0; i < n; i++)
          flyweight_pokies_get_attr (pokies, "count", &number, NULL);
      }
      break;

    case ROW_GET_OWN_TABLE:
      for (gint64 i = 0; i < n; i++)
        flyweight_pokies_get_attr (FLYWEIGHT_POKIES (own_table), "owner", &reused, NULL);
      break;

    case ROW_SET_SAME:
      for (gint64 i = 0; i < n; i++)
        flyweight_pokies_set_attr (pokies, "owner", &owner_value, NULL);
      break;

    case ROW_SET_CHANGING:
      for (gint64 i = 0; i < n; i++)
        flyweight_pokies_set_attr (pokies, "owner", (i & 1) ? &owner_value : &other_value, NULL);
      break;

    case ROW_SET_INT:
      for (gint64 i = 0; i < n; i++)
        flyweight_pokies_set_attr (pokies, "count", &count_value, NULL);
      break;

    case ROW_FLOOR_CALL:
      for (gint64 i = 0; i < n; i++)
        floor_sink = flyweight_pokies_get_reels (pokies);
      break;

    case ROW_FLOOR_LOCK:
      for (gint64 i = 0; i < n; i++)
        {
          gpointer unlocked = NULL;

          if (__atomic_compare_exchange_n (&floor_lock_word, &unlocked, GSIZE_TO_POINTER (1),
                                           TRUE, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            __atomic_store_n (&floor_lock_word, NULL, __ATOMIC_RELEASE);
        }
      break;

    case ROW_FLOOR_COPY:
      for (gint64 i = 0; i < n; i++)
        {
          char *copy = g_strdup (g_value_get_string (&owner_value));

          floor_sink = copy[0];
          g_free (copy);
        }
      break;

    case N_C_ROWS:
    default:
      g_assert_not_reached ();
    }

  return (double) (now_ns () - start) / (double) n;
}

static void
print_ratio_row (const char *label,
                 double      ns,
                 double      reference)
{
  if (reference > 0)
    g_print ("  %-62s %7.1f ns  %5.2f×\n", label, ns, ns / reference);
  else
    g_print ("  %-62s %7.1f ns\n", label, ns);
}

static void
section_speed (Python *python)
{
  /* The first machine with these names keeps a table of its own; the
   * next shares their shapes, as most machines of a program do. */
  g_autoptr(FlyweightPokiesDynamic) own_table = new_machine ();
  g_autoptr(FlyweightPokiesDynamic) machine = new_machine ();
  GArray *c_samples[N_C_ROWS];
  g_autoptr(GArray) read_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) write_samples = g_array_new (FALSE, FALSE, sizeof (double));
  double read = 0, write = 0;

  for (guint i = 0; i < N_C_ROWS; i++)
    c_samples[i] = g_array_new (FALSE, FALSE, sizeof (double));

  for (gint r = 0; r < opt_repetitions; r++)
    {
      for (guint i = 0; i < N_C_ROWS; i++)
        {
          double ns = time_row (i, machine, own_table, opt_operations);

          g_array_append_val (c_samples[i], ns);
        }

      if (python != NULL)
        {
          double ns = python_time (python, "read", opt_operations);

          g_array_append_val (read_samples, ns);
          ns = python_time (python, "write", opt_operations);
          g_array_append_val (write_samples, ns);
        }
    }

  if (python != NULL)
    {
      read = median (read_samples);
      write = median (write_samples);
    }

  g_print ("\nAttribute access on an existing attribute, ns per call (median of %d × %" G_GINT64_FORMAT
           "; × the CPython row of the same kind)\n", opt_repetitions, opt_operations);
  for (guint i = 0; i < N_C_ROWS; i++)
    print_ratio_row (c_rows[i].label, median (c_samples[i]), c_rows[i].write ? write : read);
  if (python != NULL)
    {
      print_ratio_row ("CPython Pokies: o.owner (timeit)", read, 0);
      print_ratio_row ("CPython Pokies: o.owner = 'Aristocrat' (timeit)", write, 0);
    }

  for (guint i = 0; i < N_C_ROWS; i++)
    g_array_unref (c_samples[i]);
}

/* ---- peek: the bindings' read ---- */

/* In a section of its own, after the others: once a thread has peeked,
 * every set_attr() of the process drops the thread's peeked value, which
 * a C program never pays for. */
static void
section_peek (Python *python)
{
  /* The first machine with these names keeps a table of its own. */
  FlyweightPokiesDynamic *first = new_machine ();
  g_autoptr(FlyweightPokiesDynamic) machine = new_machine ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) read_samples = g_array_new (FALSE, FALSE, sizeof (double));
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (machine);

  for (gint r = 0; r < opt_repetitions; r++)
    {
      gint64 start = now_ns ();
      double ns;

      for (gint64 i = 0; i < opt_operations; i++)
        flyweight_pokies_peek_attr (pokies, "owner", NULL);
      ns = (double) (now_ns () - start) / (double) opt_operations;
      g_array_append_val (samples, ns);

      if (python != NULL)
        {
          ns = python_time (python, "read", opt_operations);
          g_array_append_val (read_samples, ns);
        }
    }

  g_print ("\nThe bindings' read, ns per call (median of %d × %" G_GINT64_FORMAT ")\n",
           opt_repetitions, opt_operations);
  print_ratio_row ("peek_attr (\"owner\")", median (samples),
                   python != NULL ? median (read_samples) : 0);
  if (python != NULL)
    print_ratio_row ("CPython Pokies: o.owner (timeit)", median (read_samples), 0);

  g_object_unref (first);
}

/* ---- cold: many machines, shuffled ---- */

static void
section_cold (Python *python)
{
  g_autoptr(GPtrArray) machines = g_ptr_array_new_full (opt_machines, g_object_unref);
  g_autoptr(GArray) c_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) python_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_auto(GValue) reused = G_VALUE_INIT;

  for (gint64 i = 0; i < opt_machines; i++)
    g_ptr_array_add (machines, new_machine ());
  for (guint i = machines->len; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i);
      gpointer swap = machines->pdata[i - 1];

      machines->pdata[i - 1] = machines->pdata[j];
      machines->pdata[j] = swap;
    }
  if (python != NULL)
    python_time (python, "cold-setup", opt_machines);

  g_value_init (&reused, G_TYPE_STRING);

  for (gint r = 0; r < opt_repetitions; r++)
    {
      gint64 start = now_ns ();
      double ns;

      for (guint i = 0; i < machines->len; i++)
        flyweight_pokies_get_attr (machines->pdata[i], "owner", &reused, NULL);
      ns = (double) (now_ns () - start) / machines->len;
      g_array_append_val (c_samples, ns);

      if (python != NULL)
        {
          ns = python_time (python, "cold-read", 1);
          g_array_append_val (python_samples, ns);
        }
    }

  g_print ("\nReading owner once from each of %" G_GINT64_FORMAT " machines in shuffled order, ns per read (median of %d)\n",
           opt_machines, opt_repetitions);
  print_ratio_row ("get_attr (\"owner\") into the same string GValue", median (c_samples),
                   python != NULL ? median (python_samples) : 0);
  if (python != NULL)
    print_ratio_row ("CPython: for p in objs: p.owner", median (python_samples), 0);
}

/* ---- threads ---- */

typedef enum
{
  WORK_SAME_STRING,
  WORK_OWN_STRINGS,
  WORK_INT,
  WORK_ARITHMETIC,
  N_WORKS
} Work;

static const char * const work_labels[N_WORKS] = {
  "set_attr (\"owner\", the string it holds)",
  "set_attr (\"owner\") alternating two strings of its own",
  "set_attr (\"count\", an int)",
  "control: arithmetic, no memory shared (what the machine allows)",
};

/* Each worker on cache lines of its own, as the machines (see below). */
typedef struct
{
  FlyweightPokiesDynamic *machine;
  Work                    work;
  gint64                  n;
  GValue                  strings[2];
  guint                   index;
  gint64                  cpu_ns;   /* the thread's processor time for the run */
} __attribute__ ((aligned (128))) Worker;

/* A block of a size of thread @index's own, taken before anything else:
 * the first blocks of two threads otherwise sit at the same offset of a
 * malloc arena each, a multiple of 64 MiB apart, and processors that
 * guess a cache way from address bits (AMD's) mix such addresses up
 * between the two hardware threads of one core. Measured on Debian 13
 * here: set_attr of an int took twice the processor time in parallel. */
static gpointer
stagger (guint index)
{
  return g_malloc (4096 * (index + 1) + 192 * index);
}

/* Where the control row's arithmetic ends, so that it is done at all. */
static volatile guint64 arithmetic_result;

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (worker->machine);
  gpointer staggered = stagger (worker->index);
  gint64 cpu_start = clock_ns (CLOCK_THREAD_CPUTIME_ID);

  switch (worker->work)
    {
    case WORK_SAME_STRING:
      for (gint64 i = 0; i < worker->n; i++)
        flyweight_pokies_set_attr (pokies, "owner", &owner_value, NULL);
      break;

    case WORK_OWN_STRINGS:
      for (gint64 i = 0; i < worker->n; i++)
        flyweight_pokies_set_attr (pokies, "owner", &worker->strings[i & 1], NULL);
      break;

    case WORK_INT:
      for (gint64 i = 0; i < worker->n; i++)
        flyweight_pokies_set_attr (pokies, "count", &count_value, NULL);
      break;

    case WORK_ARITHMETIC:
      {
        guint64 sum = 0;

        for (gint64 i = 0; i < 20 * worker->n; i++)
          sum = sum * 31 + (guint64) i;
        arithmetic_result = sum;
      }
      break;

    case N_WORKS:
    default:
      g_assert_not_reached ();
    }

  worker->cpu_ns = clock_ns (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
  g_free (staggered);

  return NULL;
}

/* Two threads each make a machine, both alive until both are made: a
 * thread allocates from its own malloc arena and GSlice magazine, which
 * it hands back when it ends, so that a machine made after the other's
 * thread ended could sit next to it. */
typedef struct
{
  GMutex                  mutex;
  GCond                   cond;
  guint                   n_started;
  guint                   n_made;
  FlyweightPokiesDynamic *machines[2];
  gpointer                staggered[2];
} Makers;

static gpointer
make_machine_cb (gpointer data)
{
  Makers *makers = data;
  guint index = g_atomic_int_add (&makers->n_started, 1);
  gpointer staggered = stagger (index);
  FlyweightPokiesDynamic *machine = new_machine ();

  g_mutex_lock (&makers->mutex);
  makers->staggered[index] = staggered;
  makers->machines[makers->n_made++] = machine;
  g_cond_broadcast (&makers->cond);
  while (makers->n_made < 2)
    g_cond_wait (&makers->cond, &makers->mutex);
  g_mutex_unlock (&makers->mutex);

  return NULL;
}

/* Processors fetch memory in 64-byte lines, and many fetch the line next
 * to the one asked for too: a 128-byte aligned block. */
#define SHARED_BLOCK 128

/* Whether two instances of @size bytes touch a common 128-byte block. */
static gboolean
share_a_block (gconstpointer a,
               gconstpointer b,
               gsize         size)
{
  guintptr first_a = GPOINTER_TO_SIZE (a) / SHARED_BLOCK, last_a = (GPOINTER_TO_SIZE (a) + size - 1) / SHARED_BLOCK;
  guintptr first_b = GPOINTER_TO_SIZE (b) / SHARED_BLOCK, last_b = (GPOINTER_TO_SIZE (b) + size - 1) / SHARED_BLOCK;

  return first_a <= last_b && first_b <= last_a;
}

/* Makes the workers' machines, each by a thread of its own, on memory no
 * other machine's cache lines reach: machines that share a line cannot
 * scale under any design, the lock word of one being written beside the
 * other's (CPython's objects neither). Returns the distance between the
 * two instances. */
static gssize
make_worker_machines (Worker    *workers,
                      GPtrArray *rejected)
{
  GTypeQuery query;

  g_type_query (FLYWEIGHT_TYPE_POKIES_DYNAMIC, &query);

  for (guint attempt = 0; ; attempt++)
    {
      Makers makers = { 0 };
      GThread *threads[2];

      g_mutex_init (&makers.mutex);
      g_cond_init (&makers.cond);
      for (guint t = 0; t < 2; t++)
        threads[t] = g_thread_new ("attr-bench-maker", make_machine_cb, &makers);
      for (guint t = 0; t < 2; t++)
        g_thread_join (threads[t]);
      g_mutex_clear (&makers.mutex);
      g_cond_clear (&makers.cond);
      for (guint t = 0; t < 2; t++)
        g_free (makers.staggered[t]);

      /* A pair too close is kept in @rejected until the run ends, so that
       * the allocators cannot hand the same places out again. */
      if (share_a_block (makers.machines[0], makers.machines[1], query.instance_size) && attempt < 100)
        {
          g_ptr_array_add (rejected, makers.machines[0]);
          g_ptr_array_add (rejected, makers.machines[1]);
          continue;
        }

      for (guint t = 0; t < 2; t++)
        workers[t].machine = makers.machines[t];

      return (gssize) (GPOINTER_TO_SIZE (makers.machines[1]) - GPOINTER_TO_SIZE (makers.machines[0]));
    }
}

static void
section_threads (void)
{
  /* The first machine with these names keeps a table of its own. */
  FlyweightPokiesDynamic *first = new_machine ();
  g_autoptr(GPtrArray) rejected = g_ptr_array_new_with_free_func (g_object_unref);
  Worker workers[2] = { { 0 } };
  GArray *ratios[N_WORKS];
  GArray *cpu_ratios[N_WORKS];
  gint64 best_serial[N_WORKS], best_parallel[N_WORKS];
  gssize distance = make_worker_machines (workers, rejected);

  for (guint t = 0; t < 2; t++)
    {
      workers[t].n = opt_thread_operations;
      workers[t].index = t;
      for (guint k = 0; k < 2; k++)
        {
          g_value_init (&workers[t].strings[k], G_TYPE_STRING);
          g_value_take_string (&workers[t].strings[k], g_strdup_printf ("%s of thread %u",
                                                                      k ? "Aristocrat" : "Konami", t));
        }
    }

  for (guint w = 0; w < N_WORKS; w++)
    {
      ratios[w] = g_array_new (FALSE, FALSE, sizeof (double));
      cpu_ratios[w] = g_array_new (FALSE, FALSE, sizeof (double));
      best_serial[w] = best_parallel[w] = G_MAXINT64;
    }

  for (gint r = 0; r < opt_repetitions; r++)
    for (guint w = 0; w < N_WORKS; w++)
      {
        GThread *threads[2];
        gint64 start, serial, parallel, serial_cpu;
        double ratio;

        workers[0].work = workers[1].work = w;

        start = now_ns ();
        worker_run (&workers[0]);
        worker_run (&workers[1]);
        serial = now_ns () - start;
        serial_cpu = workers[0].cpu_ns + workers[1].cpu_ns;

        start = now_ns ();
        for (guint t = 0; t < 2; t++)
          threads[t] = g_thread_new ("attr-bench", worker_run, &workers[t]);
        for (guint t = 0; t < 2; t++)
          g_thread_join (threads[t]);
        parallel = now_ns () - start;

        ratio = 2.0 * (double) parallel / (double) serial;
        g_array_append_val (ratios[w], ratio);
        best_serial[w] = MIN (best_serial[w], serial);
        best_parallel[w] = MIN (best_parallel[w], parallel);
        /* Processor time spent for the same work: what contention costs,
         * whatever else the machine runs. */
        ratio = (double) (workers[0].cpu_ns + workers[1].cpu_ns) / (double) serial_cpu;
        g_array_append_val (cpu_ratios[w], ratio);
      }

  g_print ("\nTwo threads, each on a machine of its own, against one thread doing both "
           "(%" G_GINT64_FORMAT " calls a machine, median of %d)\n"
           "  wall: 2 × parallel wall time / serial wall time (1.00 is perfect scaling, 2.00 none;\n"
           "        needs two idle cores); best: the same of the fastest run of each, which a busy\n"
           "        machine disturbs least; cpu: processor time of the threads / of the serial run\n",
           opt_thread_operations, opt_repetitions);
  g_print ("  The two machines sit %" G_GSSIZE_FORMAT " bytes apart, each made by its own thread, and share\n"
           "  no 128-byte block (two cache lines, which processors fetch together): objects that\n"
           "  share a cache line cannot scale under any design, CPython's neither.\n",
           ABS (distance));
  for (guint w = 0; w < N_WORKS; w++)
    {
      g_print ("  %-62s wall %5.2f  best %5.2f  cpu %5.2f\n", work_labels[w], median (ratios[w]),
               2.0 * (double) best_parallel[w] / (double) best_serial[w], median (cpu_ratios[w]));
      g_array_unref (ratios[w]);
      g_array_unref (cpu_ratios[w]);
    }

  for (guint t = 0; t < 2; t++)
    {
      g_object_unref (workers[t].machine);
      g_value_unset (&workers[t].strings[0]);
      g_value_unset (&workers[t].strings[1]);
    }
  g_object_unref (first);
}

/* ---- names: one machine, many names ---- */

static void
section_names (Python *python)
{
  g_auto(GStrv) counts = g_strsplit (opt_names != NULL ? opt_names : "10000,100000,1000000", ",", -1);

  g_print ("\nOne machine given N distinct names, then each read back: seconds for all N\n");

  for (guint c = 0; counts[c] != NULL; c++)
    {
      gint64 n = g_ascii_strtoll (counts[c], NULL, 10);
      g_autoptr(FlyweightPokiesDynamic) machine = flyweight_pokies_dynamic_new (3, 10, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_full (n, g_free);
      g_auto(GValue) value = G_VALUE_INIT;
      gint64 start, set_ns, get_ns;

      for (gint64 i = 0; i < n; i++)
        g_ptr_array_add (names, g_strdup_printf ("n%" G_GINT64_FORMAT, i));
      g_value_init (&value, G_TYPE_INT);

      start = now_ns ();
      for (gint64 i = 0; i < n; i++)
        {
          g_value_set_int (&value, (gint) i);
          set_attr (machine, names->pdata[i], &value);
        }
      set_ns = now_ns () - start;

      start = now_ns ();
      for (gint64 i = 0; i < n; i++)
        {
          if (!flyweight_pokies_get_attr (FLYWEIGHT_POKIES (machine), names->pdata[i], &value, NULL) ||
              g_value_get_int (&value) != i)
            g_error ("name %" G_GINT64_FORMAT " lost", i);
        }
      get_ns = now_ns () - start;

      g_print ("  N = %-8" G_GINT64_FORMAT "  set %7.3f s  read back %7.3f s  total %7.3f s  (%5.0f ns a call)",
               n, set_ns / 1e9, get_ns / 1e9, (set_ns + get_ns) / 1e9, (double) (set_ns + get_ns) / (2.0 * n));
      if (python != NULL)
        g_print ("   CPython setattr + getattr: %7.3f s", python_time (python, "names", n) / 1e9);
      g_print ("\n");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  Python *python;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Times attribute access through the public C API next to CPython's own,\n"
    "the scaling of two threads on two machines, and many names on one machine.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("attr-bench: %s\n", error->message);
      return 2;
    }
  if (opt_operations < 1 || opt_repetitions < 1 || opt_machines < 1 || opt_thread_operations < 1)
    {
      g_printerr ("attr-bench: counts must be at least 1\n");
      return 2;
    }

  g_value_init (&owner_value, G_TYPE_STRING);
  g_value_set_static_string (&owner_value, "Aristocrat");
  g_value_init (&other_value, G_TYPE_STRING);
  g_value_set_static_string (&other_value, "Konami");
  g_value_init (&count_value, G_TYPE_INT);
  g_value_set_int (&count_value, 7);

  python = python_start ();
  g_print ("attr-bench: GLib %u.%u.%u, %s%s\n", glib_major_version, glib_minor_version, glib_micro_version,
           python != NULL ? "CPython " : "no CPython rows", python != NULL ? python->version : "");

  if (wanted ("speed"))
    section_speed (python);
  if (wanted ("cold"))
    section_cold (python);
  if (wanted ("threads"))
    section_threads ();
  if (wanted ("names"))
    section_names (python);
  if (wanted ("peek"))
    section_peek (python);

  python_stop (python);
  g_value_unset (&owner_value);
  g_value_unset (&other_value);
  g_value_unset (&count_value);

  return 0;
}
