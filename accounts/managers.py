from django.contrib.auth.base_user import BaseUserManager


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=self.model.Role.ADMIN)
        return self._create_user(email, password, **extra)

    def marketers(self):
        return self.exclude(role=self.model.Role.INFLUENCER)

    def get_by_natural_key(self, username):
        # Emails are stored lower-case; let people log in with any casing.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})
