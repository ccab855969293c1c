/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What the process holds, as the status line and the summary report it. */

#include <string.h>
#include <unistd.h>

#include "casino-floor-memory.h"

/* Resident bytes now: the second field of /proc/self/statm, in pages.
 * Returns 0 where there is no /proc. */
guint64
casino_floor_memory_get_rss (void)
{
  g_autofree char *contents = NULL;
  guint64 resident_pages = 0;
  char *field;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL))
    return 0;

  field = strchr (contents, ' ');
  if (field == NULL)
    return 0;
  resident_pages = g_ascii_strtoull (field + 1, NULL, 10);

  return resident_pages * (guint64) sysconf (_SC_PAGESIZE);
}

/* The most the process has held resident: VmHWM in /proc/self/status. */
guint64
casino_floor_memory_get_peak_rss (void)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return 0;

  line = strstr (contents, "\nVmHWM:");
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10) * 1024;
}

char *
casino_floor_memory_format (guint64 bytes)
{
  return g_strdup_printf ("%.1f MB", (double) bytes / 1e6);
}
