"""Demo data for hr_admin: moves."""


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
