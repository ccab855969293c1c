/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memit-measure.h"

void
memit_sample_clear (MemitSample *sample)
{
  g_clear_pointer (&sample->id, g_free);
  g_clear_pointer (&sample->runtime, g_free);
  memset (sample, 0, sizeof *sample);
}

double
memit_sample_bytes_per_instance (const MemitSample *sample)
{
  if (sample->instances == 0)
    return 0.0;

  /* Signed: a process can give pages back between the two readings. */
  return ((double) sample->rss_after - (double) sample->rss_before) / (double) sample->instances;
}

double
memit_sample_ns_per_instance (const MemitSample *sample)
{
  if (sample->instances == 0)
    return 0.0;

  return (double) sample->elapsed_ns / (double) sample->instances;
}

double
memit_sample_peak_mb (const MemitSample *sample)
{
  /* memory_profiler divides by 2**20 and calls the result MB. */
  return (double) sample->peak_rss / (1024.0 * 1024.0);
}

/* Reads a small /proc file into @buffer without touching the heap, so that
 * reading the RSS does not change it. */
static gboolean
read_proc_file (const char *path,
                char       *buffer,
                gsize       size)
{
  gsize total = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  while (total + 1 < size)
    {
      ssize_t n = read (fd, buffer + total, size - 1 - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      total += (gsize) n;
    }

  close (fd);
  buffer[total] = '\0';

  return total > 0;
}

/* The value in kB of a "Name:   1234 kB" line of a /proc status-style file. */
static guint64
read_proc_kb_field (const char *path,
                    const char *field)
{
  char buffer[8192];
  const char *line;
  gsize field_len = strlen (field);

  if (!read_proc_file (path, buffer, sizeof buffer))
    return 0;

  for (line = buffer; line != NULL && *line != '\0'; )
    {
      const char *next = strchr (line, '\n');

      if (strncmp (line, field, field_len) == 0 && line[field_len] == ':')
        return g_ascii_strtoull (line + field_len + 1, NULL, 10);

      line = next != NULL ? next + 1 : NULL;
    }

  return 0;
}

/**
 * memit_measure_rss:
 *
 * The resident set size from `/proc/self/statm` (its second field, in
 * pages), in bytes; 0 if it cannot be read.
 */
guint64
memit_measure_rss (void)
{
  char buffer[256];
  char *end;
  guint64 resident;

  if (!read_proc_file ("/proc/self/statm", buffer, sizeof buffer))
    return 0;

  /* Skip the first field, the total program size. */
  g_ascii_strtoull (buffer, &end, 10);
  resident = g_ascii_strtoull (end, NULL, 10);

  return resident * (guint64) sysconf (_SC_PAGESIZE);
}

/**
 * memit_measure_peak_rss:
 *
 * The peak resident set size of the process (VmHWM), in bytes.
 */
guint64
memit_measure_peak_rss (void)
{
  return read_proc_kb_field ("/proc/self/status", "VmHWM") * 1024;
}

/**
 * memit_measure_mem_available:
 *
 * MemAvailable from `/proc/meminfo`, in bytes; 0 if unknown.
 */
guint64
memit_measure_mem_available (void)
{
  return read_proc_kb_field ("/proc/meminfo", "MemAvailable") * 1024;
}

guint64
memit_measure_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * memit_measure_median:
 *
 * The median of @values, which it sorts in place.
 */
double
memit_measure_median (double *values,
                      gsize   n_values)
{
  if (n_values == 0)
    return 0.0;

  qsort (values, n_values, sizeof *values, compare_doubles);

  if (n_values % 2 == 1)
    return values[n_values / 2];

  return (values[n_values / 2 - 1] + values[n_values / 2]) / 2.0;
}
