#!/usr/bin/env python
"""Take the README's screenshots from a running app (`make run` in another shell).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Each page is shot at desktop width; pages influencers use are shot at phone width too.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "partnerships-demo"  # noqa: S105 - the documented demo login
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# (file name, login email or None, path, phone width too[, link to follow from there])
# Ids differ from one database to the next, so portal pages are reached the way an
# influencer reaches them: from a card on the portal home.
SHOTS = [
    ("login", None, "/accounts/login/", True),
    ("dashboard", "marketer@example.com", "/", False),
    ("portal", "influencer@example.com", "/portal/", True),
    ("portal-partnership", "influencer@example.com", "/portal/", True, "article.portal-card a"),
    (
        "portal-deliverables",
        "influencer@example.com",
        "/portal/",
        True,
        "article.portal-card:has(.badge:text-is('Active')) a",
    ),
    ("portal-accounts", "influencer@example.com", "/portal/accounts/", True),
    (
        "portal-connect",
        "influencer@example.com",
        "/portal/accounts/",
        True,
        "a:has-text('Connect Instagram')",
    ),
    ("influencers", "marketer@example.com", "/influencers/?sort=-followers", True),
    ("board", "marketer@example.com", "/influencers/board/", False),
    ("influencer", "marketer@example.com", "/influencers/1/", True),
    ("campaigns", "marketer@example.com", "/campaigns/", False),
    ("campaign", "marketer@example.com", "/campaigns/1/", True),
    ("partnership", "marketer@example.com", "/partnerships/1/", True),
    ("results", "marketer@example.com", "/campaigns/1/results/", True),
    ("data-sources", "marketer@example.com", "/data-sources/", False),
    ("shops", "marketer@example.com", "/shop/connections/", False),
    ("terms-document", "marketer@example.com", "/partnerships/1/terms/v1/", True),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", nargs="*", help="names of shots to take")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for name, email, path, phone, *follow in SHOTS:
            if args.only and name not in args.only:
                continue
            sizes = [("", {"width": 1280, "height": 860})]
            if phone:
                sizes.append(("-phone", {"width": 390, "height": 844}))
            for suffix, viewport in sizes:
                context = browser.new_context(viewport=viewport, base_url=args.base)
                page = context.new_page()
                if email:
                    page.goto("/accounts/login/")
                    page.get_by_label("Email").fill(email)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Log in").click()
                    page.wait_for_load_state()
                page.goto(path)
                if follow:
                    page.locator(follow[0]).first.click()
                page.wait_for_load_state("networkidle")
                page.screenshot(path=out / f"{name}{suffix}.png", full_page=True)
                print(f"saved {out / f'{name}{suffix}.png'}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
