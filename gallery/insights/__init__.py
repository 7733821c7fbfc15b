"""Read models for the studio: what each gallery has and what its visitors did."""
