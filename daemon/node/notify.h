/* notify: readiness for systemd (Type=notify), written by hand.
 * The sd_notify datagram protocol is small and documented as stable for
 * independent implementations; linking libsystemd for it would add a
 * dependency to every node for three messages. Without $NOTIFY_SOCKET
 * every call does nothing. */
#ifndef MPOOL_NOTIFY_H
#define MPOOL_NOTIFY_H

void notify_ready(void);
void notify_reloading(void);
void notify_stopping(void);

#endif
