"""Speaking time: the published rates applied to Chinese characters and English words."""

from briefing.speaking import format_duration, speaking_seconds


def test_english_words_at_140_a_minute():
    assert speaking_seconds(" ".join(["word"] * 140)) == 60


def test_chinese_characters_at_250_a_minute():
    assert speaking_seconds("字" * 250) == 60


def test_numbers_and_contractions_count_once():
    assert speaking_seconds("It's 1,250.5 dollars, don't forget") == 5 * 60 / 140


def test_mixed_text_counts_each_script_at_its_rate():
    text = "OpenAI 的估值为 8520 亿美元"  # 7 Han characters, two words
    assert speaking_seconds(text) == (7 / 250 + 2 / 140) * 60


def test_punctuation_alone_takes_no_time():
    assert speaking_seconds("—— ，。！ ... -- ") == 0


def test_format_duration_rounds_to_the_second():
    assert format_duration(59.6) == "1:00"
    assert format_duration(125) == "2:05"
