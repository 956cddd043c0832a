from contracts.models.enterprises import Enterprise, Federation, Membership, Role

__all__ = ["Enterprise", "Federation", "Membership", "Role"]
