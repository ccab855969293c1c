/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-error.h"
#include "flyweight-tsan-private.h"

/**
 * flyweight_error_quark:
 *
 * Gets the error domain of libflyweight, also known as %FLYWEIGHT_ERROR.
 *
 * Returns: the quark of the `flyweight-error-quark` domain
 *
 * Since: 1.0
 */
GQuark
flyweight_error_quark (void)
{
  /* Not G_DEFINE_QUARK: its unguarded static is a data race when threads
   * make their first errors at once. */
  static gsize quark = 0;

  if (g_once_init_enter (&quark))
    {
      GQuark made = g_quark_from_static_string ("flyweight-error-quark");

      flyweight_tsan_release (&quark);
      g_once_init_leave (&quark, made);
    }
  flyweight_tsan_acquire (&quark);

  return (GQuark) quark;
}
