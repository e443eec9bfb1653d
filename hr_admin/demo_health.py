"""Demo data for hr_admin: health."""


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
