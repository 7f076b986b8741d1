// Accessors for libedit's readline-compatible C globals. Swift 6 rejects any direct use of an
// imported mutable C global ("not concurrency-safe"), so each one we need is wrapped here.
#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
// Name the editline/ directory: <readline/readline.h> would be GNU readline when installed.
#include <editline/readline.h>

static inline void cedit_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void cedit_set_attempted_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void cedit_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void cedit_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline const char *cedit_line_buffer(void) { return rl_line_buffer; }

#endif
