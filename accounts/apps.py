from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # allauth records a passed second factor at sign-in but not when TOTP is set up;
        # the code typed then is as good, so the session counts as having passed it.
        from allauth.mfa.signals import authenticator_added

        from accounts.mfa import mfa_record_setup

        def _setup(sender, request, user, authenticator, **kwargs):
            if request is not None:
                mfa_record_setup(request, authenticator)

        authenticator_added.connect(_setup, dispatch_uid="accounts.mfa_record_setup", weak=False)
