package snapshot

// The wire types below mirror the AWS CLI's JSON (which is the EC2 API's
// member naming). They hold only the fields vpcpath reads; everything else
// in a file is ignored. Timestamps are never decoded: real files carry them
// in several shapes (ISO 8601, "2020-05-08 03:45:53+00:00" in Batfish's
// snapshots, {"__class__": "datetime", ...} objects in boto recordings).

type wTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type wBoolValue struct {
	Value *bool `json:"Value"`
}

type wVpc struct {
	VpcId                   string `json:"VpcId"`
	DhcpOptionsId           string `json:"DhcpOptionsId"`
	OwnerId                 string `json:"OwnerId"`
	CidrBlock               string `json:"CidrBlock"`
	IsDefault               bool   `json:"IsDefault"`
	CidrBlockAssociationSet []struct {
		CidrBlock      string `json:"CidrBlock"`
		CidrBlockState struct {
			State string `json:"State"`
		} `json:"CidrBlockState"`
	} `json:"CidrBlockAssociationSet"`
	Ipv6CidrBlockAssociationSet []struct {
		Ipv6CidrBlock      string `json:"Ipv6CidrBlock"`
		Ipv6CidrBlockState struct {
			State string `json:"State"`
		} `json:"Ipv6CidrBlockState"`
	} `json:"Ipv6CidrBlockAssociationSet"`
	Tags []wTag `json:"Tags"`
}

type wSubnet struct {
	SubnetId                    string `json:"SubnetId"`
	VpcId                       string `json:"VpcId"`
	CidrBlock                   string `json:"CidrBlock"`
	AvailabilityZone            string `json:"AvailabilityZone"`
	AvailabilityZoneId          string `json:"AvailabilityZoneId"`
	AvailableIpAddressCount     *int   `json:"AvailableIpAddressCount"`
	MapPublicIpOnLaunch         *bool  `json:"MapPublicIpOnLaunch"`
	Ipv6CidrBlockAssociationSet []struct {
		Ipv6CidrBlock      string `json:"Ipv6CidrBlock"`
		Ipv6CidrBlockState struct {
			State string `json:"State"`
		} `json:"Ipv6CidrBlockState"`
	} `json:"Ipv6CidrBlockAssociationSet"`
	Tags []wTag `json:"Tags"`
}

type wRoute struct {
	DestinationCidrBlock        string `json:"DestinationCidrBlock"`
	DestinationIpv6CidrBlock    string `json:"DestinationIpv6CidrBlock"`
	DestinationPrefixListId     string `json:"DestinationPrefixListId"`
	GatewayId                   string `json:"GatewayId"`
	NatGatewayId                string `json:"NatGatewayId"`
	NetworkInterfaceId          string `json:"NetworkInterfaceId"`
	InstanceId                  string `json:"InstanceId"`
	TransitGatewayId            string `json:"TransitGatewayId"`
	VpcPeeringConnectionId      string `json:"VpcPeeringConnectionId"`
	EgressOnlyInternetGatewayId string `json:"EgressOnlyInternetGatewayId"`
	LocalGatewayId              string `json:"LocalGatewayId"`
	CarrierGatewayId            string `json:"CarrierGatewayId"`
	CoreNetworkArn              string `json:"CoreNetworkArn"`
	Origin                      string `json:"Origin"`
	State                       string `json:"State"`
}

type wRouteTable struct {
	RouteTableId string `json:"RouteTableId"`
	VpcId        string `json:"VpcId"`
	Associations []struct {
		Main             bool   `json:"Main"`
		SubnetId         string `json:"SubnetId"`
		GatewayId        string `json:"GatewayId"`
		AssociationState *struct {
			State string `json:"State"`
		} `json:"AssociationState"`
	} `json:"Associations"`
	Routes []wRoute `json:"Routes"`
	Tags   []wTag   `json:"Tags"`
}

type wIpPermission struct {
	IpProtocol string `json:"IpProtocol"`
	FromPort   *int   `json:"FromPort"`
	ToPort     *int   `json:"ToPort"`
	IpRanges   []struct {
		CidrIp      string `json:"CidrIp"`
		Description string `json:"Description"`
	} `json:"IpRanges"`
	Ipv6Ranges []struct {
		CidrIpv6    string `json:"CidrIpv6"`
		Description string `json:"Description"`
	} `json:"Ipv6Ranges"`
	PrefixListIds []struct {
		PrefixListId string `json:"PrefixListId"`
		Description  string `json:"Description"`
	} `json:"PrefixListIds"`
	UserIdGroupPairs []struct {
		GroupId                string `json:"GroupId"`
		UserId                 string `json:"UserId"`
		VpcId                  string `json:"VpcId"`
		VpcPeeringConnectionId string `json:"VpcPeeringConnectionId"`
		Description            string `json:"Description"`
	} `json:"UserIdGroupPairs"`
}

type wSecurityGroup struct {
	GroupId             string          `json:"GroupId"`
	GroupName           string          `json:"GroupName"`
	VpcId               string          `json:"VpcId"`
	OwnerId             string          `json:"OwnerId"`
	IpPermissions       []wIpPermission `json:"IpPermissions"`
	IpPermissionsEgress []wIpPermission `json:"IpPermissionsEgress"`
	Tags                []wTag          `json:"Tags"`
}

type wNaclEntry struct {
	RuleNumber    int    `json:"RuleNumber"`
	Protocol      string `json:"Protocol"`
	RuleAction    string `json:"RuleAction"`
	Egress        bool   `json:"Egress"`
	CidrBlock     string `json:"CidrBlock"`
	Ipv6CidrBlock string `json:"Ipv6CidrBlock"`
	PortRange     *struct {
		From *int `json:"From"`
		To   *int `json:"To"`
	} `json:"PortRange"`
	IcmpTypeCode *struct {
		Type *int `json:"Type"`
		Code *int `json:"Code"`
	} `json:"IcmpTypeCode"`
}

type wNetworkAcl struct {
	NetworkAclId string       `json:"NetworkAclId"`
	VpcId        string       `json:"VpcId"`
	IsDefault    bool         `json:"IsDefault"`
	Entries      []wNaclEntry `json:"Entries"`
	Associations []struct {
		NetworkAclId string `json:"NetworkAclId"`
		SubnetId     string `json:"SubnetId"`
	} `json:"Associations"`
	Tags []wTag `json:"Tags"`
}

type wGroupIdentifier struct {
	GroupId   string `json:"GroupId"`
	GroupName string `json:"GroupName"`
}

type wIPAssociation struct {
	PublicIp string `json:"PublicIp"`
}

type wNetworkInterface struct {
	NetworkInterfaceId string             `json:"NetworkInterfaceId"`
	SubnetId           string             `json:"SubnetId"`
	VpcId              string             `json:"VpcId"`
	AvailabilityZone   string             `json:"AvailabilityZone"`
	PrivateIpAddress   string             `json:"PrivateIpAddress"`
	Groups             []wGroupIdentifier `json:"Groups"`
	Association        *wIPAssociation    `json:"Association"`
	PrivateIpAddresses []struct {
		PrivateIpAddress string          `json:"PrivateIpAddress"`
		Primary          bool            `json:"Primary"`
		Association      *wIPAssociation `json:"Association"`
	} `json:"PrivateIpAddresses"`
	Ipv6Addresses []struct {
		Ipv6Address string `json:"Ipv6Address"`
	} `json:"Ipv6Addresses"`
	Attachment *struct {
		InstanceId  string `json:"InstanceId"`
		DeviceIndex *int   `json:"DeviceIndex"`
		Status      string `json:"Status"`
	} `json:"Attachment"`
	InterfaceType    string `json:"InterfaceType"`
	Status           string `json:"Status"`
	SourceDestCheck  *bool  `json:"SourceDestCheck"`
	RequesterManaged bool   `json:"RequesterManaged"`
	Description      string `json:"Description"`
	// TagSet is the member name in describe-network-interfaces output.
	TagSet []wTag `json:"TagSet"`
	Tags   []wTag `json:"Tags"`
}

type wInstance struct {
	InstanceId       string             `json:"InstanceId"`
	SubnetId         string             `json:"SubnetId"`
	VpcId            string             `json:"VpcId"`
	PrivateIpAddress string             `json:"PrivateIpAddress"`
	PublicIpAddress  string             `json:"PublicIpAddress"`
	SecurityGroups   []wGroupIdentifier `json:"SecurityGroups"`
	SourceDestCheck  *bool              `json:"SourceDestCheck"`
	State            *struct {
		Name string `json:"Name"`
	} `json:"State"`
	Placement *struct {
		AvailabilityZone string `json:"AvailabilityZone"`
	} `json:"Placement"`
	NetworkInterfaces []wNetworkInterface `json:"NetworkInterfaces"`
	Tags              []wTag              `json:"Tags"`
}

type wReservation struct {
	Instances []wInstance `json:"Instances"`
}

type wVpcEndpoint struct {
	VpcEndpointId       string             `json:"VpcEndpointId"`
	VpcEndpointType     string             `json:"VpcEndpointType"`
	VpcId               string             `json:"VpcId"`
	ServiceName         string             `json:"ServiceName"`
	State               string             `json:"State"`
	PrivateDnsEnabled   *bool              `json:"PrivateDnsEnabled"`
	RouteTableIds       []string           `json:"RouteTableIds"`
	SubnetIds           []string           `json:"SubnetIds"`
	NetworkInterfaceIds []string           `json:"NetworkInterfaceIds"`
	Groups              []wGroupIdentifier `json:"Groups"`
	DnsEntries          []struct {
		DnsName string `json:"DnsName"`
	} `json:"DnsEntries"`
	Tags []wTag `json:"Tags"`
}

type wNatGateway struct {
	NatGatewayId        string `json:"NatGatewayId"`
	VpcId               string `json:"VpcId"`
	SubnetId            string `json:"SubnetId"`
	State               string `json:"State"`
	ConnectivityType    string `json:"ConnectivityType"`
	NatGatewayAddresses []struct {
		NetworkInterfaceId string `json:"NetworkInterfaceId"`
		PrivateIp          string `json:"PrivateIp"`
		PublicIp           string `json:"PublicIp"`
		IsPrimary          *bool  `json:"IsPrimary"`
	} `json:"NatGatewayAddresses"`
	Tags []wTag `json:"Tags"`
}

type wInternetGateway struct {
	InternetGatewayId string `json:"InternetGatewayId"`
	Attachments       []struct {
		VpcId string `json:"VpcId"`
		State string `json:"State"`
	} `json:"Attachments"`
	Tags []wTag `json:"Tags"`
}

// wPrefixList covers both describe-prefix-lists (PrefixListName, Cidrs) and
// describe-managed-prefix-lists (no Cidrs).
type wPrefixList struct {
	PrefixListId   string    `json:"PrefixListId"`
	PrefixListName string    `json:"PrefixListName"`
	OwnerId        string    `json:"OwnerId"`
	Cidrs          *[]string `json:"Cidrs"`
}

type wPrefixListEntry struct {
	Cidr string `json:"Cidr"`
}

type wAvailabilityZone struct {
	ZoneName   string `json:"ZoneName"`
	RegionName string `json:"RegionName"`
}

type wHostedZone struct {
	Id     string `json:"Id"`
	Name   string `json:"Name"`
	Config *struct {
		PrivateZone bool `json:"PrivateZone"`
	} `json:"Config"`
}

type wZoneVPC struct {
	VPCId     string `json:"VPCId"`
	VPCRegion string `json:"VPCRegion"`
}

type wRecordSet struct {
	Name            string `json:"Name"`
	Type            string `json:"Type"`
	TTL             int    `json:"TTL"`
	ResourceRecords []struct {
		Value string `json:"Value"`
	} `json:"ResourceRecords"`
	AliasTarget *struct {
		HostedZoneId string `json:"HostedZoneId"`
		DNSName      string `json:"DNSName"`
	} `json:"AliasTarget"`
}

type wResolverRule struct {
	Id         string `json:"Id"`
	DomainName string `json:"DomainName"`
	RuleType   string `json:"RuleType"`
	TargetIps  []struct {
		Ip   string `json:"Ip"`
		Ipv6 string `json:"Ipv6"`
		Port *int   `json:"Port"`
	} `json:"TargetIps"`
}

type wResolverRuleAssociation struct {
	ResolverRuleId string `json:"ResolverRuleId"`
	VPCId          string `json:"VPCId"`
	Status         string `json:"Status"`
}

type wServiceDetail struct {
	ServiceName     string `json:"ServiceName"`
	PrivateDnsName  string `json:"PrivateDnsName"`
	PrivateDnsNames []struct {
		PrivateDnsName string `json:"PrivateDnsName"`
	} `json:"PrivateDnsNames"`
	BaseEndpointDnsNames []string `json:"BaseEndpointDnsNames"`
}

type wDhcpOptions struct {
	DhcpOptionsId      string `json:"DhcpOptionsId"`
	DhcpConfigurations []struct {
		Key    string `json:"Key"`
		Values []struct {
			Value string `json:"Value"`
		} `json:"Values"`
	} `json:"DhcpConfigurations"`
}
