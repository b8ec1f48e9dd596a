package io.archfarm.portal.accounts;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface MembershipRepository extends JpaRepository<Membership, Membership.Key> {

    /** The caller's teams and roles, by team slug, in one query. */
    @Query("""
            select new io.archfarm.portal.accounts.TeamRole(t.id, t.slug, t.name, m.role)
            from Membership m join Team t on t.id = m.key.teamId
            where m.key.userId = ?1 order by t.slug""")
    List<TeamRole> teamsOf(UUID userId);

    @Query("""
            select new io.archfarm.portal.accounts.MemberView(u.username, u.displayName, m.role)
            from Membership m join UserAccount u on u.id = m.key.userId
            where m.key.teamId = ?1 order by lower(u.username)""")
    List<MemberView> membersOf(UUID teamId);
}
