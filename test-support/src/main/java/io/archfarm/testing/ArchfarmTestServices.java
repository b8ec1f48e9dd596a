package io.archfarm.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The one place integration tests get PostgreSQL and RabbitMQ from: {@code @Import(ArchfarmTestServices.class)}.
 * Which ones is decided by {@link TestServices#mode()}. Either way the context gets a fresh database
 * ({@link ArchfarmTestDatabase}) and a fresh broker prefix ({@code archfarm.topology.prefix}, from
 * {@link ArchfarmTestBroker}), so nothing an earlier run left behind reaches the test.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ArchfarmTestDatabase.class, ArchfarmTestBroker.class})
public class ArchfarmTestServices {}
