package io.archfarm.scheduler.secrets;

import io.archfarm.model.secrets.SecretKeyBox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The build secrets a build's jobs get, opened: its team's, and its project's own in place of a team secret of the
 * same id. The portal sealed them with the farm's key; they leave the scheduler only sealed again for the worker that
 * claimed a job, and are never logged.
 */
@Component
public class BuildSecretsOfBuild {

    private final JdbcClient jdbc;
    private final String secretKey;
    private volatile @Nullable SecretKeyBox box;

    BuildSecretsOfBuild(JdbcClient jdbc, @Value("${archfarm.security.secret-key:}") String secretKey) {
        this.jdbc = jdbc;
        this.secretKey = secretKey;
    }

    /**
     * The secrets by id; empty for a build outside any project.
     *
     * @throws IllegalStateException when there are some and this scheduler cannot open them (no or another key)
     */
    public Map<String, String> of(UUID buildId) {
        List<Map.Entry<String, String>> sealed = jdbc.sql("""
                        select distinct on (s.name) s.name, s.sealed_value
                          from builds b join projects p on p.id = b.project_id
                          join build_secrets s on s.team_id = p.team_id
                                              and (s.project_id = p.id or s.project_id is null)
                         where b.id = :build
                         order by s.name, s.project_id nulls last""")
                .param("build", buildId)
                .query((rs, n) -> Map.entry(rs.getString("name"), rs.getString("sealed_value")))
                .list();
        Map<String, String> opened = new LinkedHashMap<>();
        sealed.forEach(secret -> opened.put(secret.getKey(), box().open(secret.getValue())));
        return opened;
    }

    private SecretKeyBox box() {
        SecretKeyBox current = box;
        if (current == null) {
            current = new SecretKeyBox(
                    secretKey,
                    "the scheduler needs it to open the build secrets of projects and"
                            + " teams, sealed by the portal");
            box = current;
        }
        return current;
    }
}
