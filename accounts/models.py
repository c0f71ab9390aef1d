from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in: marketers (admin, manager, viewer) and influencers.

    The email address is the login. Influencers only ever see the portal.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MANAGER = "manager", _("Manager")
        VIEWER = "viewer", _("Viewer (read-only)")
        INFLUENCER = "influencer", _("Influencer")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Kuala_Lumpur")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log into the admin site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # Influencers never get into the admin site.
            models.CheckConstraint(
                condition=~models.Q(role="influencer", is_staff=True),
                name="user_influencer_not_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_influencer(self) -> bool:
        return self.role == self.Role.INFLUENCER

    @property
    def is_marketer(self) -> bool:
        return self.is_active and self.role != self.Role.INFLUENCER

    @property
    def can_edit(self) -> bool:
        """Marketers who may change data: admins and managers."""
        return self.is_active and self.role in (self.Role.ADMIN, self.Role.MANAGER)
