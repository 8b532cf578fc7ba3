"""The newest cases holding each common word (cases/common_words.py keeps them).

A word found in thousands of cases costs the full-text index a bitmap of all of them
before it yields the first; these rows give its newest cases in order, a page at a time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class CommonWord(models.Model):
    """A word of so many cases that the index lookup for it grows with the table."""

    word = models.CharField(_("word"), max_length=200, primary_key=True)
    cases = models.PositiveIntegerField(_("cases"), help_text=_("Cases holding it, as the database estimates."))
    # Every listed case holding the word with an id at or above `floor` has a row in
    # CommonWordCase (0: every one). Rows below the floor may linger; they are not read.
    floor = models.BigIntegerField(_("lowest case kept"), default=0)
    # Filled once when found common and once more a refresh later; read only after the
    # second, so a case saved while the word was becoming common is not missed.
    fills = models.PositiveSmallIntegerField(_("fills"), default=0)

    class Meta:
        verbose_name = _("common word")
        verbose_name_plural = _("common words")

    def __str__(self) -> str:
        return self.word


class CommonWordCase(models.Model):
    word = models.CharField(_("word"), max_length=200)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="common_words", verbose_name=_("case"))

    class Meta:
        verbose_name = _("case of a common word")
        verbose_name_plural = _("cases of common words")
        # (word, case) walked backwards gives a word's newest cases first.
        constraints = [models.UniqueConstraint(fields=["word", "case"], name="common_word_case")]

    def __str__(self) -> str:
        return f"{self.word}: {self.case_id}"
