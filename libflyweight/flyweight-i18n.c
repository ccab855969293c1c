/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "flyweight-i18n-private.h"
#include "flyweight-tsan-private.h"

void
flyweight_i18n_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
#ifdef ENABLE_NLS
      const char *localedir = g_getenv ("FLYWEIGHT_LOCALEDIR");

      /* Lets the test suite use catalogs from the build tree. */
      if (localedir == NULL || localedir[0] == '\0')
        localedir = LOCALEDIR;

      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
      flyweight_tsan_release (&initialized);
      g_once_init_leave (&initialized, 1);
    }
  flyweight_tsan_acquire (&initialized);
}
