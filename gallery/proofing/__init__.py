"""What a client and their guests do on a share link: identify, favourite, comment, submit a selection."""
