"""The pages of bargaining, by what people do in them: the home page of each user's enterprises,
the negotiation workspace, and recording a round at the table. Every action calls the same
service as the API."""
