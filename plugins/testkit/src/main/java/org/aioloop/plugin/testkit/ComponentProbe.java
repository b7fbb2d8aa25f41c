package org.aioloop.plugin.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Drives a Declarative Services component by hand, as SCR would, without a framework: a
 * {@link BundleContext} that records service registrations and answers framework properties, and
 * configuration annotation instances built from a map (missing keys take the annotation's
 * defaults). Only the calls device components make are supported; anything else throws
 * {@link UnsupportedOperationException}.
 */
public final class ComponentProbe {
    /** One service registered through {@link #bundleContext()}. */
    public static final class Registration {
        private final List<String> classes;
        private final Object service;
        private final Map<String, Object> properties;
        private volatile boolean unregistered;

        Registration(List<String> classes, Object service, Map<String, Object> properties) {
            this.classes = classes;
            this.service = service;
            this.properties = properties;
        }

        /** @return the service's class names */
        public List<String> classes() {
            return classes;
        }

        /** @return the service object */
        public Object service() {
            return service;
        }

        /** @return the service properties */
        public Map<String, Object> properties() {
            return properties;
        }

        /** @return whether it was unregistered */
        public boolean isUnregistered() {
            return unregistered;
        }
    }

    private final Map<String, String> frameworkProperties;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    /**
     * @param frameworkProperties what {@link BundleContext#getProperty(String)} answers
     */
    public ComponentProbe(Map<String, String> frameworkProperties) {
        this.frameworkProperties = Map.copyOf(frameworkProperties);
    }

    /** A probe without framework properties. */
    public ComponentProbe() {
        this(Map.of());
    }

    /** @return every registration made so far, in order (unregistered ones included) */
    public List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    /** @return the registrations not unregistered */
    public List<Registration> live() {
        return registrations.stream().filter(r -> !r.unregistered).toList();
    }

    /** @return a bundle context recording into this probe */
    public BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(ComponentProbe.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getProperty":
                            return frameworkProperties.get((String) args[0]);
                        case "registerService":
                            return register(args[0], args[1], (Dictionary<?, ?>) args[2]);
                        case "toString":
                            return "ComponentProbe bundle context";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("BundleContext." + m.getName());
                    }
                });
    }

    private ServiceRegistration<?> register(Object classes, Object service, Dictionary<?, ?> dict) {
        List<String> names;
        if (classes instanceof String s) {
            names = List.of(s);
        } else if (classes instanceof String[] a) {
            names = List.of(a);
        } else {
            names = List.of(((Class<?>) classes).getName());
        }
        Map<String, Object> props = new HashMap<>();
        if (dict != null) {
            for (Object k : Collections.list(dict.keys())) {
                props.put((String) k, dict.get(k));
            }
        }
        Registration r = new Registration(names, service, Map.copyOf(props));
        registrations.add(r);
        return (ServiceRegistration<?>) Proxy.newProxyInstance(ComponentProbe.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, m, args) -> {
                    if ("unregister".equals(m.getName())) {
                        if (r.unregistered) {
                            throw new IllegalStateException("already unregistered");
                        }
                        r.unregistered = true;
                        return null;
                    }
                    if ("hashCode".equals(m.getName())) {
                        return System.identityHashCode(proxy);
                    }
                    if ("equals".equals(m.getName())) {
                        return proxy == args[0];
                    }
                    if ("toString".equals(m.getName())) {
                        return "registration of " + names;
                    }
                    throw new UnsupportedOperationException("ServiceRegistration." + m.getName());
                });
    }

    /**
     * A configuration annotation instance, as SCR builds one from a configuration dictionary.
     *
     * @param <A>    the annotation type
     * @param type   the configuration annotation (an {@code @ObjectClassDefinition})
     * @param values by method name (e.g. {@code aioloop_device}); missing ones take the defaults
     * @return the instance
     */
    public static <A extends Annotation> A config(Class<A> type, Map<String, ?> values) {
        Map<String, Object> v = new HashMap<>(values);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + v;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return v.containsKey(m.getName()) ? v.get(m.getName()) : defaultOf(m);
            }
        }));
    }

    private static Object defaultOf(Method m) {
        Object d = m.getDefaultValue();
        if (d == null) { // no default and not configured: what SCR gives for a missing value
            Class<?> t = m.getReturnType();
            return t == boolean.class ? Boolean.FALSE : t == long.class ? (Object) 0L : t == int.class ? (Object) 0 : null;
        }
        return d;
    }
}
