package io.archfarm.portal;

import io.archfarm.testing.ArchfarmTestServices;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The portal's one agreed test context: the whole portal on a random port, with PostgreSQL and RabbitMQ from
 * {@link ArchfarmTestServices}, repositories on file:// and loopback allowed (the tests' git server), a public URL,
 * no background work (commit statuses, gauges: {@code archfarm.portal.scheduling=false}) and live pages that tick every
 * 100 ms. Every test with this annotation and nothing else that changes the context shares one Spring context (the test
 * context cache), started once per run. A test that needs other properties declares its own {@code @SpringBootTest}
 * and pays for a context of its own: do that only when the property is what the test is about.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.git.allow-file-urls=true",
            "archfarm.git.timeout=20s",
            "archfarm.git.allowed-hosts=127.0.0.1,localhost",
            "archfarm.portal.public-url=https://farm.example.com/",
            "archfarm.portal.scheduling=false",
            "archfarm.portal.live-interval=100ms",
            "archfarm.portal.live-keep-alive=1s"
        })
@Import(ArchfarmTestServices.class)
public @interface PortalIntegrationTest {}
