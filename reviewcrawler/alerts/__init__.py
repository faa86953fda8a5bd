"""Alerts: a run's changes that match the rules, POSTed to a webhook, never lost.

At each run's close (store/closing.py calls ``alert_run``) the run's changes
(reviewcrawler/changes) that match the ALERT_* rules become one JSON message
(message.py documents its schema), stored in ``alert_outbox`` and sent with every
message still pending, oldest first (delivery.py). A message the receiver does not
accept stays pending for the next close or ``reviewcrawler alerts send``. The watch
list (watchlist.py) names the films whose new reviews are alerts. docs/alerts.md
explains it all for users.
"""

from reviewcrawler.alerts.config import AlertConfig
from reviewcrawler.alerts.run_close import alert_run

__all__ = ["AlertConfig", "alert_run"]
