"""The reader comment forms: post, and the poster's own edit and delete."""
