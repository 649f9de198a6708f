"""Release: after a failover, delete (without cascading) a hub's Applications of clusters another hub now
manages (`hubctl hub release`).

May import: as every use case (hubctl.usecases).
"""
