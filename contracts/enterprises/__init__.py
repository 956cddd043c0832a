"""Who the service is for: federations, enterprises and the roles people hold in them, and the
access rules every selector starts from. Depends on ``contracts.rules`` only."""
