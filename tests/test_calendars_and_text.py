import datetime as dt

from django.utils import translation

from core.calendars import dual_date, hijri_date, local_datetime
from core.text import ascii_digits, normalize_arabic


def test_hijri_date_in_arabic_and_english():
    with translation.override("ar"):
        assert hijri_date(dt.date(2027, 1, 9)) == "1 شعبان 1448 هـ"
    with translation.override("en"):
        assert hijri_date(dt.date(2027, 1, 9)) == "1 Sha'ban 1448 AH"


def test_dual_date_adds_the_hijri_date_only_in_arabic():
    with translation.override("ar"):
        assert "شعبان 1448" in dual_date(dt.date(2027, 1, 9))
    with translation.override("en"):
        assert "1448" not in dual_date(dt.date(2027, 1, 9))


def test_dates_outside_umm_al_qura_give_no_hijri_date_rather_than_a_wrong_one():
    assert hijri_date(dt.date(1900, 1, 1)) == ""


def test_local_time_follows_egypt_summer_time_and_riyadh_fixed_offset():
    summer = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert local_datetime(summer, "Africa/Cairo").hour == 15
    assert local_datetime(winter, "Africa/Cairo").hour == 14
    assert local_datetime(summer, "Asia/Riyadh").hour == 15
    assert local_datetime(winter, "Asia/Riyadh").hour == 15


def test_arabic_indic_and_persian_digits_become_ascii():
    assert ascii_digits("٠١٠٠١٢٣٤٥٦٧") == "01001234567"
    assert ascii_digits("۰۹:۳۰") == "09:30"


def test_arabic_normalisation_folds_spellings_and_drops_diacritics():
    assert normalize_arabic("إِفْطَارُ صَائِمٍ") == normalize_arabic("افطار صايم")
    assert normalize_arabic("مدرسـة القرية") == normalize_arabic("مدرسه القريه")
    assert normalize_arabic("مستشفى") == normalize_arabic("مستشفي")


def test_pages_keep_the_hijri_date_on_one_line():
    from django.template import Context, Template

    with translation.override("ar"):
        html = Template("{{ day|dual_date }}").render(Context({"day": dt.date(2027, 1, 9)}))
    assert '<span class="text-nowrap">(1 شعبان 1448 هـ)</span>' in html
