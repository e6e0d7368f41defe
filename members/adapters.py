from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are made by the secretariat or by an approved
    membership application."""

    def is_open_for_signup(self, request):
        return False
