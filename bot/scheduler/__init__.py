"""The scheduler: channels' digests at their local time, feed polls, one active scheduler among processes."""
