"""The pages of the contract core: contracts, and the workers' congress that votes on them."""
