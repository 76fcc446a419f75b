"""Writes to the registry that are more than one row's save: learned aliases proposed by
the classifier and decided by editors. Accepting one saves the Actor, which sends
`registry_changed` (the next article reads the new alias without a restart)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.models import Actor, LearnedAlias, LearnedAliasStatus


class LearnedAliasError(ValueError):
    """A decision that cannot be made (the proposal is gone or already decided)."""


def _known_names() -> set[str]:
    names: set[str] = set()
    for name, aliases in Actor.objects.values_list("name", "aliases"):
        names.add(str(name).lower())
        names.update(str(a).lower() for a in aliases or ())
    return names


def propose_learned_aliases(
    *, people: dict[str, str], article_id: int | None, evidence: str = ""
) -> int:
    """Upsert a proposal per (name, actor) for the people an article introduced; names
    already an alias (or name) of any actor, or rejected before, are not proposed again.
    Returns how many proposals were created or seen again."""
    if not people:
        return 0
    known = _known_names()
    actors = set(Actor.objects.filter(code__in=set(people.values())).values_list("code", flat=True))
    rejected = {
        n.lower()
        for n in LearnedAlias.objects.filter(
            status=LearnedAliasStatus.REJECTED, name__in=list(people)
        ).values_list("name", flat=True)
    }
    touched = 0
    with transaction.atomic():
        for name, code in sorted(people.items()):
            if code not in actors or name.lower() in known or name.lower() in rejected:
                continue
            proposal, created = LearnedAlias.objects.get_or_create(
                name=name,
                actor_id=code,
                defaults={"first_article_id": article_id, "evidence": evidence[:2000]},
            )
            if not created and proposal.status == LearnedAliasStatus.PROPOSED:
                LearnedAlias.objects.filter(pk=proposal.pk).update(
                    times_seen=F("times_seen") + 1, last_seen_at=timezone.now()
                )
            touched += 1
    return touched


def accept_learned_alias(*, proposal_id: int, user: Any) -> LearnedAlias:
    """Append the name to the actor's aliases (saving the actor sends registry_changed)."""
    with transaction.atomic():
        proposal = _proposed(proposal_id)
        actor = Actor.objects.select_for_update().get(pk=proposal.actor_id)
        if proposal.name.lower() not in {str(a).lower() for a in actor.aliases}:
            actor.aliases = [*actor.aliases, proposal.name]
            actor.save(update_fields=["aliases", "updated_at"])
        return _decide(proposal, LearnedAliasStatus.ACCEPTED, user)


def reject_learned_alias(*, proposal_id: int, user: Any) -> LearnedAlias:
    with transaction.atomic():
        return _decide(_proposed(proposal_id), LearnedAliasStatus.REJECTED, user)


def _proposed(proposal_id: int) -> LearnedAlias:
    proposal = LearnedAlias.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise LearnedAliasError(f"no learned alias {proposal_id}")
    if proposal.status != LearnedAliasStatus.PROPOSED:
        raise LearnedAliasError(f"{proposal.name} is already {proposal.status}")
    return proposal


def _decide(proposal: LearnedAlias, status: str, user: Any) -> LearnedAlias:
    proposal.status = status
    proposal.decided_by = user if getattr(user, "pk", None) else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal
