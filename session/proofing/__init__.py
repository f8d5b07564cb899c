"""Phones: the proofing server (its own process), links and tokens, what each link sees, client
favourites and notes."""
