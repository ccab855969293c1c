/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Lays out machines on the floor: banks of machines built alike, each
 * machine with its number and an owner from a hundred. Everything goes
 * into the store column by column, in bulk calls: no machine object is
 * made. Owners go as indices into the list of names, as the store keeps
 * them. */

#include "casino-floor-fill.h"

/* Ten configurations; none draws more than 65,535 outcomes, so that a
 * last draw packs into two bytes. */
static const struct
{
  guint reels;
  guint symbols;
} configurations[] = {
  { 3, 10 }, { 3, 12 }, { 4, 8 }, { 3, 20 }, { 4, 10 },
  { 5, 6 }, { 3, 30 }, { 4, 12 }, { 5, 8 }, { 3, 40 },
};

static const char * const owner_first_names[] = {
  "Golden", "Lucky", "Silver", "Royal", "Diamond",
  "Emerald", "Crimson", "Midnight", "Neon", "Jade",
};

static const char * const owner_last_names[] = {
  "Lion", "Dragon", "Star", "Crown", "Horseshoe",
  "Palace", "Tiger", "Phoenix", "Clover", "Flamingo",
};

#define N_OWNERS (G_N_ELEMENTS (owner_first_names) * G_N_ELEMENTS (owner_last_names))

/* The bulk calls take a slice of this many rows at a time, so that the
 * arrays they read stay small whatever the size of the floor. */
#define SLICE 65536

/* The owners' names, made once; the store takes them as a dictionary. */
static const char * const *
owner_names (void)
{
  static const char *names[N_OWNERS];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_OWNERS; i++)
        {
          g_autofree char *name = g_strdup_printf ("%s %s",
                                                   owner_first_names[i / G_N_ELEMENTS (owner_last_names)],
                                                   owner_last_names[i % G_N_ELEMENTS (owner_last_names)]);

          names[i] = g_intern_string (name);
        }
      g_once_init_leave (&initialized, 1);
    }

  return names;
}

/* Owners take turns along the floor, 37 names apart: neighbours seldom
 * share one, and every owner has as many machines as the next. */
static guint
owner_index_of (guint number)
{
  return (guint) (((guint64) number * 37) % N_OWNERS);
}

guint
casino_floor_get_n_owners (void)
{
  return N_OWNERS;
}

const char *
casino_floor_get_owner (guint index)
{
  g_return_val_if_fail (index < N_OWNERS, NULL);

  return owner_names ()[index];
}


static gboolean
append_banks (FlyweightPokiesStore  *store,
              guint                  first_number,
              guint                  n_machines,
              GError               **error)
{
  guint number = first_number;
  guint end = first_number + n_machines;

  while (number < end)
    {
      guint bank = (number - 1) / CASINO_FLOOR_BANK_SIZE;
      guint bank_end = (bank + 1) * CASINO_FLOOR_BANK_SIZE + 1;
      guint count = MIN (bank_end, end) - number;
      guint configuration = bank % G_N_ELEMENTS (configurations);

      if (!flyweight_pokies_store_append_many (store, count,
                                               configurations[configuration].reels,
                                               configurations[configuration].symbols,
                                               error))
        return FALSE;
      number += count;
    }

  return TRUE;
}

/**
 * casino_floor_fill:
 * @store: the floor
 * @first_number: the number of the first new machine
 * @n_machines: how many machines to add at the end of @store
 * @error: return location for a #GError
 *
 * Appends @n_machines machines, numbered from @first_number, each with its
 * `number` and its `owner`, never drawn yet.
 *
 * Returns: %TRUE on success; on failure @store may hold some of the
 *   machines, as a crowded floor would
 */
gboolean
casino_floor_fill (FlyweightPokiesStore  *store,
                   guint                  first_number,
                   guint                  n_machines,
                   GError               **error)
{
  g_autofree guint *owners = NULL;
  g_autofree gint *numbers = NULL;
  guint position;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (store), FALSE);
  g_return_val_if_fail (first_number > 0, FALSE);
  g_return_val_if_fail (n_machines <= (guint) G_MAXINT - first_number, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  position = g_list_model_get_n_items (G_LIST_MODEL (store));
  if (!append_banks (store, first_number, n_machines, error))
    return FALSE;

  owners = g_new (guint, MIN (n_machines, SLICE));
  numbers = g_new (gint, MIN (n_machines, SLICE));

  for (guint done = 0; done < n_machines;)
    {
      guint count = MIN (n_machines - done, SLICE);

      for (guint i = 0; i < count; i++)
        {
          guint number = first_number + done + i;

          numbers[i] = (gint) number;
          owners[i] = owner_index_of (number);
        }

      if (!flyweight_pokies_store_set_attr_ints (store, "number", position + done,
                                                 numbers, count, error) ||
          !flyweight_pokies_store_set_attr_dictionary (store, "owner", position + done,
                                                       owner_names (), N_OWNERS,
                                                       owners, count, error))
        return FALSE;

      done += count;
    }

  return TRUE;
}
