/* function.c: finds the function around a line of C source with a small
 * scanner, so every analyzer's findings name functions as gcc does. Never prints. */
#include "analyzer.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* The declaration being read at file scope. */
struct decl {
	const char *name, *arg;	/* arg: first argument of a macro definer */
	size_t name_len, arg_len;
	unsigned int line;
	int paren;
	bool named;		/* name is the declarator's */
	bool initializer;	/* an '=' came: "{" opens data, not a body */
	bool knr;		/* a ';' came after a K&R identifier list */
	bool list_simple;	/* the list so far is "a, b, c" */
	bool list_want_ident;
};

struct cscan {
	const char *p, *end;
	unsigned int line;
	int depth;
	bool bol;		/* only white space since the line began */
	int last;		/* the last token at file scope: 'i' ident, else the char */
	const char *ident;
	size_t ident_len;
	unsigned int ident_line;
	struct decl d;
	struct decl fn;		/* the function whose body is open */
	bool in_function;
};

/* Names followed by "(" at file scope that are never the declarator. */
static const char *const annotations[] = {
	"__attribute__", "__attribute", "__declspec", "_Alignas", "alignas",
	"typeof", "__typeof__", "__typeof", "_Static_assert", "static_assert",
	"asm", "__asm__", "__asm", "sizeof", "__printf", "__scanf",
	"__section", "__aligned", "__acquires", "__releases", "__must_hold",
	"__alloc_size", "__cond_acquires", "__cond_releases", "__diag_ignore",
};

static bool is_annotation(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(annotations) / sizeof(annotations[0]); i++)
		if (strlen(annotations[i]) == len && !memcmp(annotations[i], s, len))
			return true;
	return false;
}

static bool is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static void newline(struct cscan *s)
{
	s->line++;
	s->bol = true;
}

static void skip_block_comment(struct cscan *s)
{
	for (s->p += 2; s->p < s->end; s->p++) {
		if (*s->p == '\n')
			s->line++;
		else if (*s->p == '*' && s->p + 1 < s->end && s->p[1] == '/')
			break;
	}
	s->p = s->p + 2 < s->end ? s->p + 2 : s->end;
}

/* A string or char literal; an unterminated one ends at the line's end. */
static void skip_literal(struct cscan *s)
{
	char quote = *s->p++;

	while (s->p < s->end && *s->p != quote && *s->p != '\n') {
		if (*s->p == '\\' && s->p + 1 < s->end) {
			s->p++;
			if (*s->p == '\n')
				s->line++;
		}
		s->p++;
	}
	if (s->p < s->end && *s->p == quote)
		s->p++;
}

/* A preprocessor line, with its continuations and comments. */
static void skip_directive(struct cscan *s)
{
	while (s->p < s->end && *s->p != '\n') {
		if (*s->p == '/' && s->p + 1 < s->end && s->p[1] == '*') {
			skip_block_comment(s);
			continue;
		}
		if (*s->p == '\\' && s->p + 1 < s->end && s->p[1] == '\n') {
			s->line++;
			s->p++;
		}
		s->p++;
	}
}

/* Skips white space, comments and directives; false at a token. */
static bool skip_trivia(struct cscan *s)
{
	const char *p = s->p;

	if (*p == '\n') {
		newline(s);
	} else if (isspace((unsigned char)*p)) {
		/* keeps bol */
	} else if (*p == '#' && s->bol) {
		skip_directive(s);
		return true;
	} else if (*p == '/' && p + 1 < s->end && p[1] == '/') {
		while (s->p < s->end && *s->p != '\n')
			s->p++;
		return true;
	} else if (*p == '/' && p + 1 < s->end && p[1] == '*') {
		skip_block_comment(s);
		return true;
	} else {
		return false;
	}
	s->p++;
	return true;
}

static void reset_decl(struct cscan *s)
{
	memset(&s->d, 0, sizeof(s->d));
}

/*
 * SYSCALL_DEFINE3(open, ...) defines a function named by its first
 * argument: remember that argument when the name looks like a macro's.
 */
static void macro_argument(struct cscan *s, const char *after_paren)
{
	const char *p = after_paren, *arg;

	for (size_t i = 0; i < s->d.name_len; i++)
		if (islower((unsigned char)s->d.name[i]))
			return;
	while (p < s->end && isspace((unsigned char)*p))
		p++;
	for (arg = p; p < s->end && is_ident_char((unsigned char)*p); p++)
		;
	if (p == arg || isdigit((unsigned char)*arg))
		return;
	s->d.arg = arg;
	s->d.arg_len = p - arg;
	while (p < s->end && isspace((unsigned char)*p))
		p++;
	if (p == s->end || (*p != ',' && *p != ')'))
		s->d.arg = NULL;
}

static void open_paren(struct cscan *s)
{
	if (s->d.paren == 0 && s->d.knr)
		reset_decl(s);
	if (s->d.paren == 0 && !s->d.named && s->last == 'i' &&
	    !is_annotation(s->ident, s->ident_len)) {
		s->d.named = true;
		s->d.name = s->ident;
		s->d.name_len = s->ident_len;
		s->d.line = s->ident_line;
		s->d.list_simple = true;
		s->d.list_want_ident = true;
		macro_argument(s, s->p);
	} else if (s->d.paren == 1) {
		s->d.list_simple = false;
	}
	s->d.paren++;
}

/* ';' ends a declaration, except the K&R parameter declarations. */
static void semicolon(struct cscan *s)
{
	if (s->d.paren)
		return;
	if (s->d.named && !s->d.initializer && s->d.list_simple &&
	    !s->d.list_want_ident)
		s->d.knr = true;
	else if (!s->d.knr)
		reset_decl(s);
}

static bool opens_body(struct cscan *s)
{
	return !s->d.paren && s->d.named && !s->d.initializer &&
		(!s->d.knr || s->last == ';');
}

/* Returns true when the scan is over: the function holding line is known. */
static bool close_brace(struct cscan *s, unsigned int line)
{
	if (s->depth > 0)
		s->depth--;
	if (s->depth)
		return false;
	reset_decl(s);
	if (!s->in_function)
		return false;
	s->in_function = false;
	return line <= s->line;
}

/* A token of file scope other than an identifier. */
static void file_scope_punct(struct cscan *s, int c)
{
	if (c == '(') {
		open_paren(s);
	} else if (c == ')') {
		if (s->d.paren > 0)
			s->d.paren--;
	} else if (c == ';') {
		semicolon(s);
	} else if (c == '=' && !s->d.paren) {
		s->d.initializer = true;
		if (s->d.knr)
			reset_decl(s);
	} else if (s->d.paren == 1 && c == ',' && !s->d.list_want_ident) {
		s->d.list_want_ident = true;
	} else if (s->d.paren == 1) {
		s->d.list_simple = false;
	}
}

static void identifier(struct cscan *s)
{
	const char *start = s->p;

	while (s->p < s->end && is_ident_char((unsigned char)*s->p))
		s->p++;
	if (s->depth)
		return;
	if (s->d.paren == 1 && s->d.named) {
		if (!s->d.list_want_ident ||
		    (s->p - start == 4 && !memcmp(start, "void", 4)))
			s->d.list_simple = false;
		s->d.list_want_ident = false;
	}
	s->ident = start;
	s->ident_len = s->p - start;
	s->ident_line = s->line;
	s->last = 'i';
}

/* Returns true when the scan is over. */
static bool token(struct cscan *s, unsigned int line)
{
	int c = (unsigned char)*s->p;

	s->bol = false;
	if (c == '"' || c == '\'') {
		skip_literal(s);
		c = 'l';
	} else if (isalpha(c) || c == '_') {
		identifier(s);
		return false;
	} else if (isdigit(c)) {
		while (s->p < s->end && (is_ident_char((unsigned char)*s->p) || *s->p == '.'))
			s->p++;
		c = 'n';
	} else {
		s->p++;
	}
	if (c == '{' && !s->depth++ && opens_body(s)) {
		s->fn = s->d;
		s->in_function = true;
	} else if (c == '}' && close_brace(s, line)) {
		return true;
	} else if (!s->depth) {
		file_scope_punct(s, c);
	}
	if (!s->depth)
		s->last = c;
	return false;
}

int an_enclosing_function(const char *source, size_t len, unsigned int line,
			  struct strbuf *out)
{
	struct cscan s = { .p = source, .end = source + len, .line = 1,
			   .bol = true };
	bool over = false;

	while (s.p < s.end && !over)
		over = !skip_trivia(&s) && token(&s, line);
	/* A file cut short inside the function still names it. */
	if (!over && !s.in_function)
		return 0;
	if (s.fn.line > line)
		return 0;
	if (strbuf_add(out, s.fn.name, s.fn.name_len))
		return -1;
	if (s.fn.arg && (strbuf_addch(out, '(') ||
			 strbuf_add(out, s.fn.arg, s.fn.arg_len)))
		return -1;
	return 0;
}
