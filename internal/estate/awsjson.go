package estate

// The types below mirror the AWS CLI JSON of the describe-* calls the
// generator writes (field names and nesting as `aws ec2 describe-... --output
// json` prints them). Only the fields a realistic snapshot carries are
// present; optional ones use omitempty or pointers so that absent fields are
// absent, as in the CLI's output (for example FromPort on an all-traffic
// permission).

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type cidrState struct {
	State string `json:"State"`
}

type cidrAssoc struct {
	AssociationID  string    `json:"AssociationId"`
	CidrBlock      string    `json:"CidrBlock"`
	CidrBlockState cidrState `json:"CidrBlockState"`
}

type awsVPC struct {
	CidrBlock               string      `json:"CidrBlock"`
	CidrBlockAssociationSet []cidrAssoc `json:"CidrBlockAssociationSet"`
	InstanceTenancy         string      `json:"InstanceTenancy"`
	IsDefault               bool        `json:"IsDefault"`
	OwnerID                 string      `json:"OwnerId"`
	State                   string      `json:"State"`
	Tags                    []tag       `json:"Tags"`
	VpcID                   string      `json:"VpcId"`
}

type awsSubnet struct {
	AvailabilityZone        string `json:"AvailabilityZone"`
	AvailabilityZoneID      string `json:"AvailabilityZoneId"`
	AvailableIPAddressCount int    `json:"AvailableIpAddressCount"`
	CidrBlock               string `json:"CidrBlock"`
	DefaultForAz            bool   `json:"DefaultForAz"`
	MapPublicIPOnLaunch     bool   `json:"MapPublicIpOnLaunch"`
	OwnerID                 string `json:"OwnerId"`
	State                   string `json:"State"`
	SubnetArn               string `json:"SubnetArn"`
	SubnetID                string `json:"SubnetId"`
	Tags                    []tag  `json:"Tags"`
	VpcID                   string `json:"VpcId"`
}

type assocState struct {
	State string `json:"State"`
}

type awsRTAssoc struct {
	AssociationState        assocState `json:"AssociationState"`
	Main                    bool       `json:"Main"`
	RouteTableAssociationID string     `json:"RouteTableAssociationId"`
	RouteTableID            string     `json:"RouteTableId"`
	SubnetID                string     `json:"SubnetId,omitempty"`
}

type awsRoute struct {
	DestinationCidrBlock    string `json:"DestinationCidrBlock,omitempty"`
	DestinationPrefixListID string `json:"DestinationPrefixListId,omitempty"`
	GatewayID               string `json:"GatewayId,omitempty"`
	NatGatewayID            string `json:"NatGatewayId,omitempty"`
	TransitGatewayID        string `json:"TransitGatewayId,omitempty"`
	VpcPeeringConnectionID  string `json:"VpcPeeringConnectionId,omitempty"`
	Origin                  string `json:"Origin"`
	State                   string `json:"State"`
}

type awsRouteTable struct {
	Associations    []awsRTAssoc `json:"Associations"`
	OwnerID         string       `json:"OwnerId"`
	PropagatingVgws []struct{}   `json:"PropagatingVgws"`
	RouteTableID    string       `json:"RouteTableId"`
	Routes          []awsRoute   `json:"Routes"`
	Tags            []tag        `json:"Tags"`
	VpcID           string       `json:"VpcId"`
}

type awsPortRange struct {
	From int `json:"From"`
	To   int `json:"To"`
}

type awsICMPTypeCode struct {
	Code int `json:"Code"`
	Type int `json:"Type"`
}

type awsNACLEntry struct {
	CidrBlock    string           `json:"CidrBlock"`
	Egress       bool             `json:"Egress"`
	IcmpTypeCode *awsICMPTypeCode `json:"IcmpTypeCode,omitempty"`
	PortRange    *awsPortRange    `json:"PortRange,omitempty"`
	Protocol     string           `json:"Protocol"`
	RuleAction   string           `json:"RuleAction"`
	RuleNumber   int              `json:"RuleNumber"`
}

type awsNACLAssoc struct {
	NetworkACLAssociationID string `json:"NetworkAclAssociationId"`
	NetworkACLID            string `json:"NetworkAclId"`
	SubnetID                string `json:"SubnetId"`
}

type awsNACL struct {
	Associations []awsNACLAssoc `json:"Associations"`
	Entries      []awsNACLEntry `json:"Entries"`
	IsDefault    bool           `json:"IsDefault"`
	NetworkACLID string         `json:"NetworkAclId"`
	OwnerID      string         `json:"OwnerId"`
	Tags         []tag          `json:"Tags"`
	VpcID        string         `json:"VpcId"`
}

type awsIPRange struct {
	CidrIP      string `json:"CidrIp"`
	Description string `json:"Description,omitempty"`
}

type awsGroupPair struct {
	Description string `json:"Description,omitempty"`
	GroupID     string `json:"GroupId"`
	UserID      string `json:"UserId"`
}

type awsPrefixListID struct {
	Description  string `json:"Description,omitempty"`
	PrefixListID string `json:"PrefixListId"`
}

type awsPermission struct {
	FromPort         *int              `json:"FromPort,omitempty"`
	IPProtocol       string            `json:"IpProtocol"`
	IPRanges         []awsIPRange      `json:"IpRanges"`
	Ipv6Ranges       []struct{}        `json:"Ipv6Ranges"`
	PrefixListIDs    []awsPrefixListID `json:"PrefixListIds"`
	ToPort           *int              `json:"ToPort,omitempty"`
	UserIDGroupPairs []awsGroupPair    `json:"UserIdGroupPairs"`
}

type awsSecurityGroup struct {
	Description         string          `json:"Description"`
	GroupID             string          `json:"GroupId"`
	GroupName           string          `json:"GroupName"`
	IPPermissions       []awsPermission `json:"IpPermissions"`
	IPPermissionsEgress []awsPermission `json:"IpPermissionsEgress"`
	OwnerID             string          `json:"OwnerId"`
	Tags                []tag           `json:"Tags,omitempty"`
	VpcID               string          `json:"VpcId"`
}

type awsIPAssociation struct {
	AllocationID  string `json:"AllocationId,omitempty"`
	AssociationID string `json:"AssociationId,omitempty"`
	IPOwnerID     string `json:"IpOwnerId"`
	PublicDNSName string `json:"PublicDnsName"`
	PublicIP      string `json:"PublicIp"`
}

type awsAttachment struct {
	AttachTime          string `json:"AttachTime,omitempty"`
	AttachmentID        string `json:"AttachmentId"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	DeviceIndex         int    `json:"DeviceIndex"`
	InstanceID          string `json:"InstanceId,omitempty"`
	InstanceOwnerID     string `json:"InstanceOwnerId"`
	Status              string `json:"Status"`
}

type awsGroupIdentifier struct {
	GroupID   string `json:"GroupId"`
	GroupName string `json:"GroupName"`
}

type awsPrivateIP struct {
	Association      *awsIPAssociation `json:"Association,omitempty"`
	Primary          bool              `json:"Primary"`
	PrivateDNSName   string            `json:"PrivateDnsName"`
	PrivateIPAddress string            `json:"PrivateIpAddress"`
}

type awsENI struct {
	Association        *awsIPAssociation    `json:"Association,omitempty"`
	Attachment         *awsAttachment       `json:"Attachment,omitempty"`
	AvailabilityZone   string               `json:"AvailabilityZone"`
	Description        string               `json:"Description"`
	Groups             []awsGroupIdentifier `json:"Groups"`
	InterfaceType      string               `json:"InterfaceType"`
	Ipv6Addresses      []struct{}           `json:"Ipv6Addresses"`
	MacAddress         string               `json:"MacAddress"`
	NetworkInterfaceID string               `json:"NetworkInterfaceId"`
	OwnerID            string               `json:"OwnerId"`
	PrivateDNSName     string               `json:"PrivateDnsName"`
	PrivateIPAddress   string               `json:"PrivateIpAddress"`
	PrivateIPAddresses []awsPrivateIP       `json:"PrivateIpAddresses"`
	RequesterID        string               `json:"RequesterId,omitempty"`
	RequesterManaged   bool                 `json:"RequesterManaged"`
	SourceDestCheck    bool                 `json:"SourceDestCheck"`
	Status             string               `json:"Status"`
	SubnetID           string               `json:"SubnetId"`
	TagSet             []tag                `json:"TagSet"`
	VpcID              string               `json:"VpcId"`
}

type awsIGWAttachment struct {
	State string `json:"State"`
	VpcID string `json:"VpcId"`
}

type awsIGW struct {
	Attachments       []awsIGWAttachment `json:"Attachments"`
	InternetGatewayID string             `json:"InternetGatewayId"`
	OwnerID           string             `json:"OwnerId"`
	Tags              []tag              `json:"Tags"`
}

type awsNATAddress struct {
	AllocationID       string `json:"AllocationId"`
	AssociationID      string `json:"AssociationId"`
	IsPrimary          bool   `json:"IsPrimary"`
	NetworkInterfaceID string `json:"NetworkInterfaceId"`
	PrivateIP          string `json:"PrivateIp"`
	PublicIP           string `json:"PublicIp"`
	Status             string `json:"Status"`
}

type awsNATGateway struct {
	ConnectivityType    string          `json:"ConnectivityType"`
	CreateTime          string          `json:"CreateTime"`
	NatGatewayAddresses []awsNATAddress `json:"NatGatewayAddresses"`
	NatGatewayID        string          `json:"NatGatewayId"`
	State               string          `json:"State"`
	SubnetID            string          `json:"SubnetId"`
	Tags                []tag           `json:"Tags"`
	VpcID               string          `json:"VpcId"`
}

type awsVPCEndpoint struct {
	CreationTimestamp   string     `json:"CreationTimestamp"`
	DNSEntries          []struct{} `json:"DnsEntries"`
	Groups              []struct{} `json:"Groups"`
	NetworkInterfaceIDs []string   `json:"NetworkInterfaceIds"`
	OwnerID             string     `json:"OwnerId"`
	PolicyDocument      string     `json:"PolicyDocument"`
	PrivateDNSEnabled   bool       `json:"PrivateDnsEnabled"`
	RequesterManaged    bool       `json:"RequesterManaged"`
	RouteTableIDs       []string   `json:"RouteTableIds"`
	ServiceName         string     `json:"ServiceName"`
	State               string     `json:"State"`
	SubnetIDs           []string   `json:"SubnetIds"`
	Tags                []tag      `json:"Tags"`
	VpcEndpointID       string     `json:"VpcEndpointId"`
	VpcEndpointType     string     `json:"VpcEndpointType"`
	VpcID               string     `json:"VpcId"`
}

type awsPrefixList struct {
	Cidrs          []string `json:"Cidrs"`
	PrefixListID   string   `json:"PrefixListId"`
	PrefixListName string   `json:"PrefixListName"`
}

type awsTGWOptions struct {
	AmazonSideAsn                   int64  `json:"AmazonSideAsn"`
	AutoAcceptSharedAttachments     string `json:"AutoAcceptSharedAttachments"`
	DefaultRouteTableAssociation    string `json:"DefaultRouteTableAssociation"`
	DefaultRouteTablePropagation    string `json:"DefaultRouteTablePropagation"`
	VpnEcmpSupport                  string `json:"VpnEcmpSupport"`
	DnsSupport                      string `json:"DnsSupport"`
	SecurityGroupReferencingSupport string `json:"SecurityGroupReferencingSupport"`
	MulticastSupport                string `json:"MulticastSupport"`
}

type awsTGW struct {
	CreationTime      string        `json:"CreationTime"`
	Description       string        `json:"Description"`
	Options           awsTGWOptions `json:"Options"`
	OwnerID           string        `json:"OwnerId"`
	State             string        `json:"State"`
	Tags              []tag         `json:"Tags"`
	TransitGatewayArn string        `json:"TransitGatewayArn"`
	TransitGatewayID  string        `json:"TransitGatewayId"`
}

type awsTGWAssociation struct {
	State                      string `json:"State"`
	TransitGatewayRouteTableID string `json:"TransitGatewayRouteTableId"`
}

// awsTGWAttachment is describe-transit-gateway-attachments' record.
type awsTGWAttachment struct {
	Association                *awsTGWAssociation `json:"Association,omitempty"`
	CreationTime               string             `json:"CreationTime"`
	ResourceID                 string             `json:"ResourceId"`
	ResourceOwnerID            string             `json:"ResourceOwnerId"`
	ResourceType               string             `json:"ResourceType"`
	State                      string             `json:"State"`
	Tags                       []tag              `json:"Tags"`
	TransitGatewayAttachmentID string             `json:"TransitGatewayAttachmentId"`
	TransitGatewayID           string             `json:"TransitGatewayId"`
	TransitGatewayOwnerID      string             `json:"TransitGatewayOwnerId"`
}

type awsTGWVPCAttachmentOptions struct {
	ApplianceModeSupport            string `json:"ApplianceModeSupport"`
	DnsSupport                      string `json:"DnsSupport"`
	Ipv6Support                     string `json:"Ipv6Support"`
	SecurityGroupReferencingSupport string `json:"SecurityGroupReferencingSupport"`
}

// awsTGWVPCAttachment is describe-transit-gateway-vpc-attachments' record.
type awsTGWVPCAttachment struct {
	CreationTime               string                     `json:"CreationTime"`
	Options                    awsTGWVPCAttachmentOptions `json:"Options"`
	State                      string                     `json:"State"`
	SubnetIDs                  []string                   `json:"SubnetIds"`
	Tags                       []tag                      `json:"Tags"`
	TransitGatewayAttachmentID string                     `json:"TransitGatewayAttachmentId"`
	TransitGatewayID           string                     `json:"TransitGatewayId"`
	VpcID                      string                     `json:"VpcId"`
	VpcOwnerID                 string                     `json:"VpcOwnerId"`
}

type awsTGWInfo struct {
	OwnerID          string `json:"OwnerId"`
	Region           string `json:"Region"`
	TransitGatewayID string `json:"TransitGatewayId"`
}

type awsStatus struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

type awsTGWPeeringAttachment struct {
	AccepterTgwInfo            awsTGWInfo `json:"AccepterTgwInfo"`
	CreationTime               string     `json:"CreationTime"`
	RequesterTgwInfo           awsTGWInfo `json:"RequesterTgwInfo"`
	State                      string     `json:"State"`
	Status                     awsStatus  `json:"Status"`
	Tags                       []tag      `json:"Tags"`
	TransitGatewayAttachmentID string     `json:"TransitGatewayAttachmentId"`
}

type awsTGWRouteTable struct {
	CreationTime                 string `json:"CreationTime"`
	DefaultAssociationRouteTable bool   `json:"DefaultAssociationRouteTable"`
	DefaultPropagationRouteTable bool   `json:"DefaultPropagationRouteTable"`
	State                        string `json:"State"`
	Tags                         []tag  `json:"Tags"`
	TransitGatewayID             string `json:"TransitGatewayId"`
	TransitGatewayRouteTableID   string `json:"TransitGatewayRouteTableId"`
}

// awsTGWLink is one record of get-transit-gateway-route-table-associations
// or -propagations, and one attachment of a searched route.
type awsTGWLink struct {
	ResourceID                 string `json:"ResourceId"`
	ResourceType               string `json:"ResourceType"`
	State                      string `json:"State,omitempty"`
	TransitGatewayAttachmentID string `json:"TransitGatewayAttachmentId"`
}

type awsTGWRoute struct {
	DestinationCidrBlock      string       `json:"DestinationCidrBlock"`
	State                     string       `json:"State"`
	TransitGatewayAttachments []awsTGWLink `json:"TransitGatewayAttachments,omitempty"`
	Type                      string       `json:"Type"`
}

// awsTGWSearch is search-transit-gateway-routes output with the request's
// table ID beside it, as vpcpath collect writes it.
type awsTGWSearch struct {
	AdditionalRoutesAvailable  bool          `json:"AdditionalRoutesAvailable"`
	Routes                     []awsTGWRoute `json:"Routes"`
	TransitGatewayRouteTableID string        `json:"TransitGatewayRouteTableId"`
}

type awsTGWAssociations struct {
	Associations               []awsTGWLink `json:"Associations"`
	TransitGatewayRouteTableID string       `json:"TransitGatewayRouteTableId"`
}

type awsTGWPropagations struct {
	TransitGatewayRouteTableID           string       `json:"TransitGatewayRouteTableId"`
	TransitGatewayRouteTablePropagations []awsTGWLink `json:"TransitGatewayRouteTablePropagations"`
}

type awsPeeringOptions struct {
	AllowDnsResolutionFromRemoteVpc            bool `json:"AllowDnsResolutionFromRemoteVpc"`
	AllowEgressFromLocalClassicLinkToRemoteVpc bool `json:"AllowEgressFromLocalClassicLinkToRemoteVpc"`
	AllowEgressFromLocalVpcToRemoteClassicLink bool `json:"AllowEgressFromLocalVpcToRemoteClassicLink"`
}

type awsCidr struct {
	CidrBlock string `json:"CidrBlock"`
}

type awsPeeringSide struct {
	CidrBlock      string            `json:"CidrBlock"`
	CidrBlockSet   []awsCidr         `json:"CidrBlockSet"`
	OwnerID        string            `json:"OwnerId"`
	PeeringOptions awsPeeringOptions `json:"PeeringOptions"`
	Region         string            `json:"Region"`
	VpcID          string            `json:"VpcId"`
}

type awsPeering struct {
	AccepterVpcInfo        awsPeeringSide `json:"AccepterVpcInfo"`
	RequesterVpcInfo       awsPeeringSide `json:"RequesterVpcInfo"`
	Status                 awsStatus      `json:"Status"`
	Tags                   []tag          `json:"Tags"`
	VpcPeeringConnectionID string         `json:"VpcPeeringConnectionId"`
}
