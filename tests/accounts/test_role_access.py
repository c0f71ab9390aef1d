"""Roles are enforced on the server, whatever the page shows."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from today.views import dashboard

MARKETER_PAGES = ["/", "/admin/"]


@pytest.mark.parametrize("path", MARKETER_PAGES)
def test_influencer_cannot_open_marketer_pages(influencer_client, path):
    response = influencer_client.get(path)
    # The home URL sends influencers to their portal; everything else refuses.
    if path == "/":
        assert response["Location"] == reverse("portal:home")
    else:
        assert response.status_code == 403


def test_influencer_gets_403_from_the_dashboard_view_itself(rf, influencer_user):
    # Not only the middleware: the view's own decorator refuses influencers too.
    request = rf.get("/")
    request.user = influencer_user
    with pytest.raises(PermissionDenied):
        dashboard(request)


def test_marketers_cannot_open_the_portal(marketer_client):
    assert marketer_client.get(reverse("portal:home")).status_code == 403


def test_viewer_cannot_post_changes_anywhere(viewer_client, viewer):
    viewer.is_staff = True
    viewer.save()
    response = viewer_client.post(
        "/admin/accounts/user/add/",
        {"email": "new@brand.test", "role": "admin", "password1": "x", "password2": "x"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@brand.test").exists()


def test_viewer_may_still_change_their_own_password(viewer_client):
    response = viewer_client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_influencers_may_load_the_media_their_portal_pages_show(rf, influencer_user, settings):
    """Under DEBUG the Django server serves /media/ (the thumbnails on the portal's post
    cards); the role check must not refuse an influencer there."""
    from accounts.access import RoleAccessMiddleware

    settings.MEDIA_URL = "/media/"
    middleware = RoleAccessMiddleware(lambda request: None)
    request = rf.get("/media/posts/2026/11/post-9.png")
    request.user = influencer_user
    assert middleware.process_view(request, lambda r: None, (), {}) is None
    request = rf.get("/campaigns/")
    request.user = influencer_user
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, lambda r: None, (), {})
