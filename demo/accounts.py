from accounts.models import User

DEMO_PASSWORD = "partnerships-demo"  # noqa: S105 - documented demo login

DEMO_USERS = [
    ("marketer@example.com", "Aisyah Rahman", User.Role.ADMIN, True),
    ("manager@example.com", "Daniel Tan", User.Role.MANAGER, False),
    ("viewer@example.com", "Priya Nair", User.Role.VIEWER, False),
    ("influencer@example.com", "Nurul Izzah", User.Role.INFLUENCER, False),
    ("influencer2@example.com", "Jason Lim", User.Role.INFLUENCER, False),
]


def seed_demo(stdout) -> None:
    for email, name, role, staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "role": role, "is_staff": staff, "is_superuser": staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            stdout.write(f"  created {role} {email}")
