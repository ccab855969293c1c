/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <glib.h>

G_BEGIN_DECLS

/* The entry points libFuzzer calls. */
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const guint8  *data,
                            size_t         size);

GLogWriterOutput fuzz_abort_on_warning_writer (GLogLevelFlags   log_level,
                                               const GLogField *fields,
                                               gsize            n_fields,
                                               gpointer         user_data);

G_END_DECLS
