"""Code comments: found with Python's tokenizer, one entry per sentence, translated in place."""

from __future__ import annotations

from scripts.comments import code_tokens, comments, translate_comments, wrap

CELL = '''x = 1  # set x
# A sentence that runs over
# two comment lines
for i in range(3):
    # inside the loop
    y = "# not a comment"  # noqa: E501
'''


def test_comments_are_grouped_by_run_and_carry_their_code():
    found = comments(CELL)
    assert [(c.text, c.inline, c.context) for c in found] == [
        ("set x", True, "x = 1"),
        ("A sentence that runs over two comment lines", False, "for i in range(3):"),
        ("inside the loop", False, 'y = "# not a comment"'),
    ]


def test_translation_changes_comments_only():
    table = {"set x": "définit x", "A sentence that runs over two comment lines": "一个跨越两行注释的句子", "inside the loop": None}
    out, done, missing = translate_comments(CELL, table.get)
    assert "x = 1  # définit x" in out.splitlines()
    assert "# 一个跨越两行注释的句子" in out.splitlines()
    assert missing == ["inside the loop"] and len(done) == 2
    assert code_tokens(out) == code_tokens(CELL)
    assert 'y = "# not a comment"  # noqa: E501' in out  # strings and pragmas are left alone


def test_code_tokens_tell_code_changes_from_comment_changes():
    assert code_tokens("x = 1  # one") == code_tokens("x = 1  # un\n")
    assert code_tokens("x = 1") != code_tokens("x = 2")


def test_wrap_counts_cjk_characters_double_and_keeps_punctuation_on_its_line():
    lines = wrap("这是一个很长的中文注释，用来测试换行是否按照显示宽度进行。", 20)
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 21 for line in lines), lines
    assert not any(line[0] in "，。" for line in lines)
    assert wrap("short words wrap at spaces", 12) == ["short words", "wrap at", "spaces"]


def test_wrap_leaves_no_last_line_of_one_character():
    text = "モジュールはapplyを通して実行する。この層にはパラメータがないので、空の辞書を渡す"
    lines = wrap(text, 78)
    assert "".join(lines) == text and len(lines) == 2, lines
    assert min(len(line) for line in lines) > 10, lines  # greedy filling left "す" alone


def test_wrap_breaks_cjk_text_after_a_clause_rather_than_inside_a_word():
    lines = wrap("JAXにはグローバルな乱数状態がない。乱数を生成するたびに、明示的にキーを渡す", 40)
    assert lines[0].endswith("。"), lines  # greedy filling broke 乱数 in two
