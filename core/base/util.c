/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *check(void *p)
{
    if (!p) {
        fputs("paygen: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *pg_xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *pg_xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *pg_xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

char *pg_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(pg_xmalloc(n), s, n);
}

/* The formats of most names and references: literal text and up to eight
 * "%s", joined without vsnprintf (a tenth of the instructions). NULL when
 * fmt has any other conversion. A NULL string reads "(null)", as in glibc. */
static char *join_strings(const char *fmt, va_list ap)
{
    enum { MAX_ARGS = 8 };
    const char *args[MAX_ARGS];
    size_t lens[MAX_ARGS], count = 0, len = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            len++;
            continue;
        }
        if (f[1] != 's' || count == MAX_ARGS)
            return NULL;
        f++;
        count++;
    }
    for (size_t i = 0; i < count; i++) {
        args[i] = va_arg(ap, const char *);
        if (!args[i])
            args[i] = "(null)";
        lens[i] = strlen(args[i]);
        len += lens[i];
    }
    char *s = pg_xmalloc(len + 1), *p = s;
    size_t i = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            *p++ = *f;
            continue;
        }
        memcpy(p, args[i], lens[i]);
        p += lens[i++];
        f++;
    }
    *p = '\0';
    return s;
}

char *pg_xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    char *joined = join_strings(fmt, copy);
    va_end(copy);
    if (joined)
        return joined;
    /* Most strings are short names and references: format once into the
     * stack, and only a second time when that was too small. */
    char small[256];
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        return pg_xstrdup("");
    char *s = pg_xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof small)
        memcpy(s, small, (size_t)n + 1);
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *pg_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pg_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void pg_grow(void *items_ptr, size_t *cap, size_t need, size_t size)
{
    void **items = items_ptr;
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    *items = pg_xrealloc(*items, n * size);
    *cap = n;
}

const char *pg_arena_keep(pg_arena *a, char *owned)
{
    pg_grow(&a->strings, &a->cap, a->count + 1, sizeof *a->strings);
    a->strings[a->count++] = owned;
    return owned;
}

const char *pg_arena_dup(pg_arena *a, const char *s)
{
    return pg_arena_keep(a, pg_xstrdup(s));
}

void pg_arena_free(pg_arena *a)
{
    for (size_t i = 0; i < a->count; i++)
        free(a->strings[i]);
    free(a->strings);
    a->strings = NULL;
    a->count = a->cap = 0;
}

void pg_errors_vadd(pg_errors *e, const char *fmt, va_list ap)
{
    pg_grow(&e->messages, &e->cap, e->count + 1, sizeof *e->messages);
    e->messages[e->count++] = pg_xvasprintf(fmt, ap);
}

void pg_errors_add(pg_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pg_errors_vadd(e, fmt, ap);
    va_end(ap);
}

void pg_errors_free(pg_errors *e)
{
    for (size_t i = 0; i < e->count; i++)
        free(e->messages[i]);
    free(e->messages);
    e->messages = NULL;
    e->count = e->cap = 0;
}

size_t pg_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

bool pg_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

void pg_sort(void *items, size_t count, size_t size, int (*cmp)(const void *, const void *))
{
    if (count > 1)
        qsort(items, count, size, cmp);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pg_sorted_names(int fd, bool (*want)(int dir, const char *name, const void *arg), const void *arg,
                    char ***names, size_t *n)
{
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    *names = NULL;
    *n = 0;
    if (!d) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        errno = saved;
        return -1;
    }
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (want(dirfd(d), e->d_name, arg)) {
            pg_grow(names, &cap, *n + 1, sizeof **names);
            (*names)[(*n)++] = pg_xstrdup(e->d_name);
        }
    closedir(d);
    pg_sort(*names, *n, sizeof **names, cmp_str);
    return 0;
}

/* The length of the UTF-8 sequence at s (at most avail bytes) and its code
 * point, or 0 when it is not valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF). A NUL ends any sequence. */
static size_t utf8_next(const unsigned char *s, size_t avail, unsigned *cp)
{
    unsigned c = s[0], min;
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xe0) == 0xc0)
        n = 2, min = 0x80, *cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 3, min = 0x800, *cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 4, min = 0x10000, *cp = c & 0x07;
    else
        return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3fu);
    }
    return *cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff) ? 0 : n;
}

bool pg_utf8_valid(const char *text, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned cp;
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_next(s + i, len - i, &cp))) {
            *bad = i;
            return false;
        }
    return true;
}

/* Characters a terminal or a log reader acts on: C0 and C1 controls, DEL,
 * line and paragraph separators, bidirectional overrides. */
static bool invisible(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The escape of c, or NULL; quotes lists the quote characters escaped. */
static const char *named_escape(unsigned char c, const char *quotes)
{
    switch (c) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '\\': return "\\\\";
    case '\'': return strchr(quotes, c) ? "\\'" : NULL;
    case '"': return strchr(quotes, c) ? "\\\"" : NULL;
    default: return NULL;
    }
}

/* Writes text escaped into buf (NUL-terminated, never past size) and returns
 * whether it stopped before the end: after max_chars characters, or when the
 * next piece and "..." would not fit. */
static bool escape(char *buf, size_t size, const char *text, size_t max_chars, const char *quotes)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t used = 0;
    for (size_t chars = 0; *s; chars++) {
        char piece[8];
        unsigned cp = 0;
        size_t n = utf8_next(s, 4, &cp), len;
        const char *esc = n == 1 ? named_escape(*s, quotes) : NULL;
        if (esc)
            len = (size_t)snprintf(piece, sizeof piece, "%s", esc);
        else if (!n || (n == 1 && invisible(cp)))
            len = (size_t)snprintf(piece, sizeof piece, "\\x%02x", *s); /* no character, or C0 */
        else if (invisible(cp))
            len = (size_t)snprintf(piece, sizeof piece, "\\u%04x", cp);
        else
            memcpy(piece, s, n), len = n;
        if (chars == max_chars || used + len + 4 > size) {
            buf[used] = '\0';
            return true;
        }
        memcpy(buf + used, piece, len), used += len;
        s += n ? n : 1;
    }
    buf[used] = '\0';
    return false;
}

const char *pg_escape_text(char *buf, size_t size, const char *text, size_t max_chars)
{
    if (escape(buf, size, text, max_chars, "'\""))
        strcat(buf, "...");
    return buf;
}

const char *pg_shown(char buf[PG_SHOWN_SIZE], const char *text)
{
    buf[0] = '\'';
    bool cut = escape(buf + 1, PG_SHOWN_SIZE - 2, text, PG_SHOWN_CHARS, "'");
    strcat(buf, cut ? "'..." : "'");
    return buf;
}

bool pg_traversal_address(const char *token, size_t len, char *buf, size_t size)
{
    if (len >= size)
        return false;
    memcpy(buf, token, len);
    buf[len] = '\0';
    size_t parts = pg_str_starts_with(buf, "data.") ? 3 : 2;
    char *p = buf;
    for (size_t i = 0; i < parts && p; i++)
        if ((p = strchr(p, '.')) && i + 1 < parts)
            p++;
    if (p)
        *p = '\0';
    return true;
}
