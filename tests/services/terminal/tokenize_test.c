/* The terminal's command-line splitting, and how a line is run. */
#include "base/errors.h"
#include "base/string.h"
#include "services/terminal/terminal.h"
#include "tap.h"

static int runs;

static int cmd_count(struct term *t, int argc, char **argv)
{
    (void)t;
    (void)argv;
    runs++;
    return argc;
}

static const struct term_cmd cmds[] = {{"count", "count ARGS...", "counts its words", cmd_count}};

/* Runs len bytes (NUL bytes allowed) as one terminal line. */
static int execute(struct term *t, const char *bytes, size_t len)
{
    static char line[64];

    memcpy(line, bytes, len);
    line[len] = '\0';
    return term_execute(t, line, len);
}

static void test_execute(void)
{
    static struct term t;

    term_init(&t, cmds, 1, NULL);
    is_int(execute(&t, "count a b", 9), 3, "execute_runs_the_named_command");
    runs = 0;
    is_int(execute(&t, "count a\0b", 9), ZERR_INVAL, "execute_refuses_a_line_with_a_nul_byte");
    is_int(execute(&t, "\0count", 6), ZERR_INVAL, "execute_refuses_a_line_starting_with_nul");
    is_int(execute(&t, "count\0", 6), ZERR_INVAL, "execute_refuses_a_trailing_nul_byte");
    is_int(runs, 0, "execute_never_runs_a_line_with_a_nul_byte");
    is_int(execute(&t, "", 0), 0, "execute_empty_line_is_no_command");
    is_int(execute(&t, "nosuch", 6), ZERR_NOENT, "execute_unknown_command_is_noent");
    is_int(execute(&t, "exit", 4), 0, "execute_exit_succeeds");
    ok(t.done, "execute_exit_ends_the_terminal");
}

static int split(const char *in, char **argv, int max, int *argc)
{
    static char line[256];

    strcpy(line, in);
    return term_tokenize(line, argv, max, argc);
}

int main(void)
{
    char *argv[8];
    int argc = -1;

    tap_no_plan();
    is_int(split("  id   create  alice ", argv, 8, &argc), 0, "tokenize_plain_words");
    is_int(argc, 3, "tokenize_counts_words");
    ok(argc == 3 && strcmp(argv[0], "id") == 0 && strcmp(argv[2], "alice") == 0,
       "tokenize_strips_blanks");
    is_int(split("policy allow \"alice * \\\"x\\\"\" 'a b'", argv, 8, &argc), 0,
           "tokenize_quoted_words");
    ok(argc == 4 && strcmp(argv[2], "alice * \"x\"") == 0 && strcmp(argv[3], "a b") == 0,
       "tokenize_keeps_blanks_and_escapes_in_quotes");
    is_int(split("a\"b c\"d", argv, 8, &argc), 0, "tokenize_joins_adjacent_quotes");
    ok(argc == 1 && strcmp(argv[0], "ab cd") == 0, "tokenize_quote_inside_word");
    is_int(split("say \"unterminated", argv, 8, &argc), ZERR_INVAL,
           "tokenize_rejects_unterminated_double_quote");
    is_int(split("say 'unterminated", argv, 8, &argc), ZERR_INVAL,
           "tokenize_rejects_unterminated_single_quote");
    is_int(split("a b c d", argv, 3, &argc), ZERR_LIMIT, "tokenize_rejects_too_many_words");
    is_int(split("   # a comment", argv, 8, &argc), 0, "tokenize_comment_line");
    is_int(argc, 0, "tokenize_comment_has_no_words");
    is_int(split("id list # trailing", argv, 8, &argc), 0, "tokenize_trailing_comment");
    is_int(argc, 2, "tokenize_trailing_comment_is_dropped");
    is_int(split("", argv, 8, &argc), 0, "tokenize_empty_line");
    is_int(argc, 0, "tokenize_empty_line_has_no_words");
    test_execute();
    return tap_done();
}
