"""Monthly figures computed in the database (SKDN, ILP recap, SIP, follow-up)."""
