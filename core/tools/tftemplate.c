/* SPDX-License-Identifier: Apache-2.0 */
/* tftemplate.c - balance and references of Terraform templates.
 *
 * Not a full HCL parser: it follows strings (which nest templates), brackets
 * and directives exactly, and treats every other token loosely, which is
 * enough to find each traversal and every unbalanced delimiter. */
#include "tftemplate.h"

#include <ctype.h>
#include <string.h>

#define MAX_BOUND 16
#define MAX_DEPTH 64

typedef struct scanner {
    pg_tref_fn fn;
    void *user;
    const char *problem;
    const char *bound[MAX_BOUND];
    size_t bound_len[MAX_BOUND];
    size_t nbound;
    char directives[MAX_DEPTH];
    size_t ndirectives;
} scanner;

static bool ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static const char *ident_end(const char *p)
{
    while (ident_char(*p))
        p++;
    return p;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && !strncmp(p, w, n);
}

static bool is_keyword(const char *p, size_t n)
{
    static const char *const words[] = {"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (word_is(p, n, words[i]))
            return true;
    return false;
}

static bool is_bound(const scanner *sc, const char *p, size_t n)
{
    for (size_t i = 0; i < sc->nbound; i++)
        if (sc->bound_len[i] == n && !strncmp(sc->bound[i], p, n))
            return true;
    return false;
}

static const char *fail(scanner *sc, const char *problem)
{
    if (!sc->problem)
        sc->problem = problem;
    return NULL;
}

static const char *scan_expr(scanner *sc, const char *p, char close);

/* A template: to the end of s, or to the closing quote of a nested string. */
static const char *scan_template(scanner *sc, const char *p, bool quoted)
{
    for (;;) {
        if (!*p)
            return quoted ? fail(sc, "unterminated string inside a template") : p;
        if (quoted && *p == '"')
            return p + 1;
        if (quoted && *p == '\\') {
            p += p[1] ? 2 : 1;
            continue;
        }
        if ((p[0] == '$' || p[0] == '%') && p[1] == p[0] && p[2] == '{') {
            p += 3; /* $${ and %%{ are literal */
            continue;
        }
        if (p[0] == '$' && p[1] == '{') {
            p = scan_expr(sc, p + 2, '}');
            if (!p)
                return NULL;
            continue;
        }
        if (p[0] == '%' && p[1] == '{') {
            const char *q = skip_space(p[2] == '~' ? p + 3 : p + 2);
            const char *e = ident_end(q);
            size_t n = (size_t)(e - q);
            if (word_is(q, n, "if") || word_is(q, n, "for")) {
                if (sc->ndirectives == MAX_DEPTH)
                    return fail(sc, "directives nested too deeply");
                sc->directives[sc->ndirectives++] = *q;
            } else if (word_is(q, n, "else")) {
                if (!sc->ndirectives || sc->directives[sc->ndirectives - 1] != 'i')
                    return fail(sc, "\"%{else}\" without \"%{if}\"");
            } else if (word_is(q, n, "endif") || word_is(q, n, "endfor")) {
                char want = *q == 'e' && q[3] == 'i' ? 'i' : 'f';
                if (!sc->ndirectives || sc->directives[sc->ndirectives - 1] != want)
                    return fail(sc, want == 'i' ? "\"%{endif}\" without \"%{if}\"" : "\"%{endfor}\" without \"%{for}\"");
                sc->ndirectives--;
            } else {
                return fail(sc, "unknown template directive (expected if, else, endif, for or endfor)");
            }
            const char *before = sc->problem;
            p = scan_expr(sc, q, '}');
            if (!p) {
                if (!before && sc->problem && !strcmp(sc->problem, "unbalanced \"${\" (no closing \"}\")"))
                    sc->problem = "unbalanced \"%{\" (no closing \"}\")";
                return NULL;
            }
            continue;
        }
        p++;
    }
}

static const char *skip_number(const char *p)
{
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.' && isdigit((unsigned char)p[1]))
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    if ((*p == 'e' || *p == 'E') && (isdigit((unsigned char)p[1]) ||
                                     ((p[1] == '+' || p[1] == '-') && isdigit((unsigned char)p[2]))))
        for (p += 2; isdigit((unsigned char)*p); p++)
            ;
    return p;
}

/* Names after "for" up to "in" are bound for the rest of the string. */
static const char *bind_for(scanner *sc, const char *p)
{
    for (;;) {
        p = skip_space(p);
        if (!ident_start(*p))
            return p;
        const char *e = ident_end(p);
        if (word_is(p, (size_t)(e - p), "in"))
            return p;
        if (sc->nbound < MAX_BOUND) {
            sc->bound[sc->nbound] = p;
            sc->bound_len[sc->nbound++] = (size_t)(e - p);
        }
        p = skip_space(e);
        if (*p == ',')
            p++;
    }
}

/* A traversal starting at an identifier; reports it unless it is a call,
 * a keyword, a bound name or an object key. */
static const char *scan_traversal(scanner *sc, const char *p, char open)
{
    pg_tref ref = {{0}, {0}, 0};
    const char *e = ident_end(p);
    size_t n = (size_t)(e - p);
    const char *after = skip_space(e);
    if (*after == '(' || (*after == ':' && after[1] == ':'))
        return e; /* function call (or provider::function) */
    if (word_is(p, n, "for"))
        return bind_for(sc, e);
    if (is_keyword(p, n))
        return e;
    if (open == '{' && ((*after == '=' && after[1] != '=' && after[1] != '>') || *after == ':'))
        return e; /* object key */
    bool bound = is_bound(sc, p, n);
    ref.part[0] = p;
    ref.len[0] = n;
    ref.count = 1;
    p = e;
    for (;;) {
        if (p[0] == '.' && ident_start(p[1])) {
            e = ident_end(p + 1);
            if (ref.count < PG_TREF_PARTS) {
                ref.part[ref.count] = p + 1;
                ref.len[ref.count++] = (size_t)(e - p - 1);
            }
            p = e;
        } else if (p[0] == '.' && p[1] == '*') {
            p += 2;
        } else if (p[0] == '.' && isdigit((unsigned char)p[1])) {
            for (p++; isdigit((unsigned char)*p); p++)
                ;
        } else if (p[0] == '[') {
            p = scan_expr(sc, p + 1, ']');
            if (!p)
                return NULL;
        } else {
            break;
        }
    }
    if (!bound && sc->fn)
        sc->fn(sc->user, &ref);
    return p;
}

/* An expression up to the close character that ends it at depth 0. */
static const char *scan_expr(scanner *sc, const char *p, char close)
{
    char stack[MAX_DEPTH];
    size_t depth = 0;
    char prev = '\0';
    for (;;) {
        char c = *p;
        if (!c) {
            if (close == ']')
                return fail(sc, "unbalanced \"[\" in template");
            return fail(sc, "unbalanced \"${\" (no closing \"}\")");
        }
        if (c == '"') {
            p = scan_template(sc, p + 1, true);
            if (!p)
                return NULL;
            prev = '"';
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (depth == MAX_DEPTH)
                return fail(sc, "brackets nested too deeply in template");
            stack[depth++] = c;
            prev = c;
            p++;
            continue;
        }
        if (c == ')' || c == ']' || c == '}') {
            if (!depth) {
                if (c == close)
                    return p + 1;
                return fail(sc, "mismatched bracket in template");
            }
            char want = stack[depth - 1] == '(' ? ')' : stack[depth - 1] == '[' ? ']' : '}';
            if (c != want)
                return fail(sc, "mismatched bracket in template");
            depth--;
            prev = c;
            p++;
            continue;
        }
        if (isdigit((unsigned char)c)) {
            p = skip_number(p);
            prev = '0';
            continue;
        }
        if (ident_start(c)) {
            if (prev == '.') {
                p = ident_end(p); /* attribute of a call or a parenthesised value */
            } else {
                p = scan_traversal(sc, p, depth ? stack[depth - 1] : close == '}' ? '$' : close);
                if (!p)
                    return NULL;
            }
            prev = 'a';
            continue;
        }
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            prev = c;
        p++;
    }
}

const char *pg_template_scan(const char *s, pg_tref_fn fn, void *user)
{
    scanner sc = {.fn = fn, .user = user};
    if (!scan_template(&sc, s, false))
        return sc.problem;
    if (sc.ndirectives)
        return sc.directives[sc.ndirectives - 1] == 'i' ? "\"%{if}\" without \"%{endif}\""
                                                          : "\"%{for}\" without \"%{endfor}\"";
    return NULL;
}

bool pg_template_has_expr(const char *s)
{
    for (const char *p = s; (p = strchr(p, '{')); p++) {
        if (p == s || (p[-1] != '$' && p[-1] != '%'))
            continue;
        if (p - s >= 2 && p[-2] == p[-1])
            continue; /* $${ or %%{ */
        return true;
    }
    return false;
}
