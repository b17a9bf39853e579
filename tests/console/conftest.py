from __future__ import annotations

import pytest

from tongban.accounts.models import User, UserKind


@pytest.fixture
def operator(client):
    """A signed-in platform operator (the console's user)."""
    user = User.objects.create_user("op", password="Tongban@2026", kind=UserKind.OPERATOR,
                                    is_staff=True, is_superuser=True)
    client.force_login(user)
    return user
