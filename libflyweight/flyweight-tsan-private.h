/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* GLib's bit locks, GMutex and g_once_init_leave() synchronize inside
 * libglib, which ThreadSanitizer does not instrument, so it cannot see
 * them. Under TSan, tell it what they order; elsewhere these cost nothing.
 *
 * For a g_once_init_enter() block: release just before
 * g_once_init_leave(), and acquire after the block, on both paths. */

#if defined(__SANITIZE_THREAD__)
# define FLYWEIGHT_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define FLYWEIGHT_TSAN 1
# endif
#endif

#ifdef FLYWEIGHT_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
# define flyweight_tsan_acquire(addr) __tsan_acquire ((void *) (addr))
# define flyweight_tsan_release(addr) __tsan_release ((void *) (addr))
#else
# define flyweight_tsan_acquire(addr) ((void) 0)
# define flyweight_tsan_release(addr) ((void) 0)
#endif
