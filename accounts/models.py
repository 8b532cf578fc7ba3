from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: volunteer, charity staff or moderator (roles live elsewhere)."""

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ARABIC,
        help_text=_("The language of the messages we send."),
    )
    moderates_everywhere = models.BooleanField(
        _("moderates every region"),
        default=False,
        help_text=_(
            "For moderators: every region. Otherwise only the regions given to them; with none, they see nothing."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
