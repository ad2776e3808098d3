/* The terminal's command-line splitting. */
#include "base/errors.h"
#include "base/string.h"
#include "services/terminal/terminal.h"
#include "tap.h"

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
    return tap_done();
}
