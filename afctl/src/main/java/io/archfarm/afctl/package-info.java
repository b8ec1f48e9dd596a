/**
 * afctl, the farm's command-line client: the entry point, how commands are made and how a run ends. The commands live
 * by feature ({@code builds}, {@code farm}, {@code login}); what every command gets is in {@code cli}; the API's
 * wire in {@code api}.
 */
@NullMarked
package io.archfarm.afctl;

import org.jspecify.annotations.NullMarked;
