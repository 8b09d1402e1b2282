/*
 * The hub broker's access rules: a Mosquitto 2.0 plugin (interface version 5).
 *
 * Mosquitto 2.0's acl_file grants every SUBSCRIBE and ignores the retain flag, so a box
 * holding its own credentials could join the hub's shared subscription (the broker would
 * deal it reports meant for the hub) or retain what it sends. These rules check all four
 * kinds of access, the retain flag and who signs in where. They depend on the username
 * alone: a box is known once its line is in the password file, with nothing to change
 * here. docs/PROTOCOL.md, "The access rules", says what they allow and why.
 *
 * Options, written by provisioning/broker_config.py from sync/topics.py and sync/acl.py:
 *   plugin_opt_topic_root    the root of every box's branch, <root>/<box id>/<channel>
 *   plugin_opt_hub_user      the username of the hub's ingest processes
 *   plugin_opt_ingest_group  the hub's shared-subscription group
 *   plugin_opt_admits        whose credentials this listener accepts: hub, boxes or all
 * With per_listener_settings true, each listener loads its own instance with its own
 * options; the library is loaded once, so nothing here is global.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

struct rules {
	mosquitto_plugin_id_t *identifier;
	char *root;
	char *hub;
	char *group;
	bool admits_hub;
	bool admits_boxes;
};

/* What follows "<prefix>/" at the start of text, or NULL. */
static const char *after(const char *text, const char *prefix)
{
	size_t length = strlen(prefix);

	if(text == NULL || strncmp(text, prefix, length) != 0 || text[length] != '/'){
		return NULL;
	}
	return text + length + 1;
}

/* The channel of <root>/<box>/<channel>, or NULL. A NULL box stands for any one level. */
static const char *channel_of(const struct rules *rules, const char *topic, const char *box)
{
	const char *rest = after(topic, rules->root);
	const char *slash;

	if(box != NULL){
		return after(rest, box);
	}
	slash = rest ? strchr(rest, '/') : NULL;
	return slash && slash != rest ? slash + 1 : NULL;
}

static bool is(const char *channel, const char *name)
{
	return channel != NULL && strcmp(channel, name) == 0;
}

static bool is_upstream(const char *channel)
{
	return is(channel, "up") || is(channel, "status") || is(channel, "telemetry");
}

static int allowed(bool yes)
{
	return yes ? MOSQ_ERR_SUCCESS : MOSQ_ERR_ACL_DENIED;
}

/* A box subscribes to and reads its own down only, and writes on its own up, status and
 * telemetry. Only status may be retained: it is the box's presence (its last will
 * included); anything retained elsewhere would reach every hub ingest again at each
 * subscription. Removing a subscription harms no one, so UNSUBSCRIBE is always allowed. */
static int box_may(const struct rules *rules, const char *box,
		const struct mosquitto_evt_acl_check *check)
{
	const char *channel = channel_of(rules, check->topic, box);

	switch(check->access){
		case MOSQ_ACL_SUBSCRIBE:
		case MOSQ_ACL_READ:
			return allowed(is(channel, "down"));
		case MOSQ_ACL_WRITE:
			return allowed(is(channel, "status")
					|| (!check->retain && (is(channel, "up") || is(channel, "telemetry"))));
		case MOSQ_ACL_UNSUBSCRIBE:
			return MOSQ_ERR_SUCCESS;
	}
	return MOSQ_ERR_ACL_DENIED;
}

/* The hub subscribes to the up, status and telemetry of every box (+) or of one, bare or
 * through its shared-subscription group, reads them, and writes every box's down. It
 * never speaks for a box: on a box's upstream topics it may only publish an empty
 * retained message, which clears what is retained there. */
static int hub_may(const struct rules *rules, const struct mosquitto_evt_acl_check *check)
{
	const char *topic = check->topic;
	const char *unshared = after(after(topic, "$share"), rules->group);
	const char *channel;

	switch(check->access){
		case MOSQ_ACL_SUBSCRIBE:
			return allowed(is_upstream(channel_of(rules, unshared ? unshared : topic, NULL)));
		case MOSQ_ACL_READ:
			return allowed(is_upstream(channel_of(rules, topic, NULL)));
		case MOSQ_ACL_WRITE:
			channel = channel_of(rules, topic, NULL);
			if(is(channel, "down")){
				return allowed(!check->retain);
			}
			return allowed(is_upstream(channel) && check->retain && check->payloadlen == 0);
		case MOSQ_ACL_UNSUBSCRIBE:
			return MOSQ_ERR_SUCCESS;
	}
	return MOSQ_ERR_ACL_DENIED;
}

static int on_acl_check(int event, void *event_data, void *userdata)
{
	const struct mosquitto_evt_acl_check *check = event_data;
	const struct rules *rules = userdata;
	const char *username = mosquitto_client_username(check->client);

	(void)event;
	if(username == NULL){
		return MOSQ_ERR_ACL_DENIED;
	}
	if(strcmp(username, rules->hub) == 0){
		return hub_may(rules, check);
	}
	return box_may(rules, username, check);
}

static int refuse(const char *username, const char *why)
{
	mosquitto_log_printf(MOSQ_LOG_NOTICE, "Refused %s: %s.", username, why);
	return MOSQ_ERR_AUTH;
}

/* Who may sign in on this listener; the password file then checks the password. */
static int on_basic_auth(int event, void *event_data, void *userdata)
{
	const struct mosquitto_evt_basic_auth *login = event_data;
	const struct rules *rules = userdata;
	const char *username = login->username;
	const char *client_id = mosquitto_client_id(login->client);

	(void)event;
	if(username == NULL){
		return MOSQ_ERR_AUTH;
	}
	if(strcmp(username, rules->hub) == 0){
		return rules->admits_hub ? MOSQ_ERR_PLUGIN_DEFER
				: refuse(username, "the hub signs in on its own listener");
	}
	if(!rules->admits_boxes){
		return refuse(username, "boxes sign in on their own listener");
	}
	/* The username is one level of the box's topics. */
	if(username[0] == '\0' || strpbrk(username, "/+#") != NULL){
		return refuse(username, "not a box id");
	}
	/* Under another client id a box would take over that client's session, another
	 * box's or a hub ingest's, and knock it off the broker. Where the listener forces the
	 * client id to the username (use_username_as_clientid) this always holds. */
	if(client_id == NULL || strcmp(client_id, username) != 0){
		return refuse(username, "a box's client id is its box id");
	}
	return MOSQ_ERR_PLUGIN_DEFER;
}

static void forget(struct rules *rules)
{
	free(rules->root);
	free(rules->hub);
	free(rules->group);
	free(rules);
}

/* Copy the options into rules; false if one is unknown, missing or wrong, so that the
 * broker refuses to start rather than run with rules it was not meant to have. */
static bool configure(struct rules *rules, const struct mosquitto_opt *options, int count)
{
	const char *admits = NULL;
	int i;

	for(i = 0; i < count; i++){
		const char *key = options[i].key;
		const char *value = options[i].value;

		if(strcmp(key, "topic_root") == 0){
			rules->root = strdup(value);
		}else if(strcmp(key, "hub_user") == 0){
			rules->hub = strdup(value);
		}else if(strcmp(key, "ingest_group") == 0){
			rules->group = strdup(value);
		}else if(strcmp(key, "admits") == 0){
			admits = value;
		}else{
			mosquitto_log_printf(MOSQ_LOG_ERR, "Broker rules: unknown option %s.", key);
			return false;
		}
	}
	if(admits != NULL){
		rules->admits_hub = strcmp(admits, "hub") == 0 || strcmp(admits, "all") == 0;
		rules->admits_boxes = strcmp(admits, "boxes") == 0 || strcmp(admits, "all") == 0;
	}
	if(!rules->root || !rules->hub || !rules->group || !(rules->admits_hub || rules->admits_boxes)){
		mosquitto_log_printf(MOSQ_LOG_ERR, "Broker rules: topic_root, hub_user, ingest_group "
				"and admits (hub, boxes or all) are all needed.");
		return false;
	}
	return true;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
	int i;

	for(i = 0; i < supported_version_count; i++){
		if(supported_versions[i] == 5){
			return 5;
		}
	}
	return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata,
		struct mosquitto_opt *options, int option_count)
{
	struct rules *rules = calloc(1, sizeof(*rules));

	if(rules == NULL){
		return MOSQ_ERR_NOMEM;
	}
	if(!configure(rules, options, option_count)){
		forget(rules);
		return MOSQ_ERR_INVAL;
	}
	rules->identifier = identifier;
	if(mosquitto_callback_register(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL, rules)
			|| mosquitto_callback_register(identifier, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL, rules)){
		mosquitto_callback_unregister(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
		forget(rules);
		return MOSQ_ERR_UNKNOWN;
	}
	*userdata = rules;
	return MOSQ_ERR_SUCCESS;
}

int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *options, int option_count)
{
	struct rules *rules = userdata;

	(void)options;
	(void)option_count;
	mosquitto_callback_unregister(rules->identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
	mosquitto_callback_unregister(rules->identifier, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL);
	forget(rules);
	return MOSQ_ERR_SUCCESS;
}
